using System.Data.Common;

namespace SurgiCase.Storage;

/// <summary>
/// A service's database: one SQLite file by default, PostgreSQL when several replicas share it. Stores write one set
/// of SQL against it and ask <see cref="Dialect"/> for the little that differs. Every registered <see cref="SqlSchema"/> is
/// migrated to its latest version (<see cref="SqlMigrator"/>) before the first connection is handed out.
/// </summary>
public abstract class SqlDatabase : IAsyncDisposable, IDisposable
{
    private readonly IReadOnlyList<SqlSchema> _schemas;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    protected SqlDatabase(IEnumerable<SqlSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(schemas);
        _schemas = schemas.DistinctBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    public abstract SqlDialect Dialect { get; }

    /// <summary>
    /// Drops the idle pooled connections, so the next ones are opened afresh. A SQLite connection opened while its file
    /// refused writes stays read-only after the file takes writes again; call this once the database is writable.
    /// </summary>
    public abstract void DiscardPooledConnections();

    /// <summary>An open connection, the schema created. The caller disposes it.</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!_schemaReady)
        {
            await EnsureSchemaAsync(cancellationToken);
        }

        return await OpenConnectionAsync(cancellationToken);
    }

    /// <summary>Migrates the schemas once per process; start-up calls it so a wrong connection string stops the service.</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await using var connection = await OpenConnectionAsync(cancellationToken);
                await using var transaction = await BeginSchemaChangeAsync(connection, cancellationToken);
                await SqlMigrator.MigrateAsync(connection, transaction, Dialect, _schemas, ColumnExistsAsync, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Opens a connection; one that fails to open is disposed here, since the caller never gets it.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A transaction that holds the database's schema lock until it ends, so one process at a time migrates; other
    /// processes starting together wait here, then find the history up to date.
    /// </summary>
    protected abstract Task<DbTransaction> BeginSchemaChangeAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>Whether the table has the column, as the engine's catalogue says inside <paramref name="transaction"/>.</summary>
    protected abstract Task<bool> ColumnExistsAsync(DbConnection connection, DbTransaction transaction, SqlColumn column, CancellationToken cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore();
        _schemaLock.Dispose();
        GC.SuppressFinalize(this);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _schemaLock.Dispose();
        }
    }
}
