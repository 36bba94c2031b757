using System.Data.Common;
using Dapper;
using Npgsql;

namespace SurgiCase.Storage;

/// <summary>
/// PostgreSQL, shared by every replica of a service. Services that share one database (one RDS instance) keep their
/// tables apart by a schema each, the first of the <c>Search Path</c> in the connection string: made by
/// <see cref="Provisioning.PostgresProvisioner"/> with the service's own login as its owner, or created here when missing.
/// </summary>
public sealed class PostgresDatabase : SqlDatabase
{
    // Any constant: serialises migrations between replicas starting together.
    private const long SchemaLockKey = 0x5375_7267_6943_01;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _ownSchema;

    public PostgresDatabase(string connectionString, IEnumerable<SqlSchema> schemas)
        : base(schemas)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _ownSchema = FirstSchema(new NpgsqlConnectionStringBuilder(connectionString).SearchPath);
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    public override void DiscardPooledConnections() => _dataSource.Clear();

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginSchemaChangeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            // Held to the end of the transaction: replicas starting together migrate one after the other.
            await connection.ExecuteAsync(new CommandDefinition(
                "SELECT pg_advisory_xact_lock(@Key)", new { Key = SchemaLockKey }, transaction, cancellationToken: cancellationToken));
            // Without it, CREATE TABLE has no schema to create in: the search path names only schemas that exist. A
            // service's own login (PostgresProvisioner) finds its schema made and may not create one, so only a missing one is.
            if (_ownSchema is not null && !await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                    "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = @Schema)", new { Schema = _ownSchema }, transaction,
                    cancellationToken: cancellationToken)))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"CREATE SCHEMA IF NOT EXISTS \"{_ownSchema.Replace("\"", "\"\"", StringComparison.Ordinal)}\"",
                    transaction: transaction, cancellationToken: cancellationToken));
            }

            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override async Task<bool> ColumnExistsAsync(
        DbConnection connection, DbTransaction transaction, SqlColumn column, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @Table AND column_name = @Column",
            new { column.Table, column.Column }, transaction, cancellationToken: cancellationToken)) > 0;

    /// <summary>The schema the search path puts first, as PostgreSQL reads it (unquoted names fold to lower case).</summary>
    private static string? FirstSchema(string? searchPath)
    {
        var first = searchPath?.Split(',')[0].Trim();
        if (string.IsNullOrEmpty(first) || first == "$user" || first == "\"$user\"")
        {
            return null;
        }

        return first.Length > 1 && first[0] == '"' && first[^1] == '"'
            ? first[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal)
            : first.ToLowerInvariant();
    }

    protected override ValueTask DisposeAsyncCore() => _dataSource.DisposeAsync();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dataSource.Dispose();
        }

        base.Dispose(disposing);
    }
}
