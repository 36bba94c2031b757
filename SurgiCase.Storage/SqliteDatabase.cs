using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace SurgiCase.Storage;

/// <summary>One SQLite file: the single-node default. WAL lets readers (the API) run beside the writer.</summary>
public sealed class SqliteDatabase : SqlDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(string filePath, IEnumerable<SqlSchema> schemas)
        : base(schemas)
    {
        FilePath = Path.GetFullPath(filePath);
        Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Private cache: with WAL and a busy timeout, concurrent writers wait instead of failing on shared-cache locks.
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override void DiscardPooledConnections()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbTransaction> BeginSchemaChangeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // Outside any transaction: SQLite cannot change the journal mode inside one.
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL;", cancellationToken: cancellationToken));
        // BEGIN IMMEDIATE takes the file's write lock now, so a second process waits (busy timeout) instead of reading the
        // history before the first one has written it.
        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }

    protected override async Task<bool> ColumnExistsAsync(
        DbConnection connection, DbTransaction transaction, SqlColumn column, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM pragma_table_info(@Table) WHERE name = @Column",
            new { column.Table, column.Column }, transaction, cancellationToken: cancellationToken)) > 0;
}
