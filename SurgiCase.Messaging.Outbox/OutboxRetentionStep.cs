using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;

namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// Deletes published outbox rows after <see cref="OutboxOptions.PublishedRetention"/> (the queue has them; the row only
/// proved it) and parked rows after the longer <see cref="OutboxOptions.ParkedRetention"/>: a parked row is an alert
/// that never left, the evidence an operator needs, so it stays until then. Pending rows are never touched.
/// </summary>
internal sealed class OutboxRetentionStep(SqlDatabase database, IOptions<OutboxOptions> options) : IRetentionStep
{
    public string Name => "outbox";

    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM outbox
            WHERE (published_at IS NOT NULL AND published_at < @PublishedBefore)
               OR (published_at IS NULL AND parked_at IS NOT NULL AND parked_at < @ParkedBefore)
            """,
            new
            {
                PublishedBefore = SqlTime.Format(now - options.Value.PublishedRetention),
                ParkedBefore = SqlTime.Format(now - options.Value.ParkedRetention),
            },
            cancellationToken: cancellationToken));
    }
}
