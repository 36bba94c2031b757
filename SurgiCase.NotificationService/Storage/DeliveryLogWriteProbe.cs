using Dapper;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// A harmless write to the delivery log's database: one committed upsert of the single <c>delivery_log_probe</c> row
/// (a counter that always changes, so both engines really write it: SQLite appends a page to its write-ahead log,
/// PostgreSQL a tuple). A no-op such as <c>UPDATE ... WHERE 1 = 0</c> would succeed on a read-only SQLite file.
/// Throws the <see cref="System.Data.Common.DbException"/> the delivery log would get.
/// </summary>
internal sealed class DeliveryLogWriteProbe(SqlDatabase database, TimeProvider time)
{
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO delivery_log_probe (id, probes, probed_at) VALUES (1, 1, @now)
            ON CONFLICT (id) DO UPDATE SET probes = delivery_log_probe.probes + 1, probed_at = excluded.probed_at
            """,
            new { now = SqlTime.Format(time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    /// <summary>After the outage: pooled connections opened while the file refused writes would stay read-only.</summary>
    public void DiscardStaleConnections() => database.DiscardPooledConnections();
}
