using System.Data.Common;
using Dapper;
using Npgsql;

namespace SurgiCase.Storage;

/// <summary>PostgreSQL, shared by every replica of a service.</summary>
public sealed class PostgresDatabase : SqlDatabase
{
    // Any constant: serialises schema creation between replicas starting together.
    private const long SchemaLockKey = 0x5375_7267_6943_01;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDatabase(string connectionString, IEnumerable<SqlSchema> schemas)
        : base(schemas)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override SqlDialect Dialect => SqlDialect.Postgres;

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task CreateSchemaAsync(DbConnection connection, string script, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // CREATE ... IF NOT EXISTS still races on the catalog when two replicas run it at once.
        await connection.ExecuteAsync(new CommandDefinition(
            "SELECT pg_advisory_xact_lock(@Key)", new { Key = SchemaLockKey }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(script, transaction: transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
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
