using System.Data.Common;
using Dapper;
using Npgsql;

namespace SurgiCase.SchedulerService.Runs;

/// <summary>Cluster mode: every replica shares run history, job state, audit and outbox in PostgreSQL.</summary>
internal sealed class PostgresDatabase(NpgsqlDataSource dataSource) : SchedulerDatabase
{
    // Any constant: serialises schema creation between replicas starting together.
    private const long SchemaLockKey = 0x5375_7267_6943_01;

    public override string InsertionOrder => "seq";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // CREATE ... IF NOT EXISTS still races on the catalog when two replicas run it at once.
        await connection.ExecuteAsync("SELECT pg_advisory_xact_lock(@Key)", new { Key = SchemaLockKey }, transaction);
        await connection.ExecuteAsync(Schema("BIGINT", ", seq BIGSERIAL"), transaction: transaction);
        await transaction.CommitAsync(cancellationToken);
    }
}
