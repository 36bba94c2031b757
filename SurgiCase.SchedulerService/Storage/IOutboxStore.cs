namespace SurgiCase.SchedulerService.Storage;

/// <summary>Outbox rows for the dispatcher: claim, mark published, reschedule.</summary>
public interface IOutboxStore
{
    /// <summary>Due unpublished rows, oldest first, each reserved for <paramref name="owner"/> until <paramref name="claimUntil"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken);

    Task MarkPublishedAsync(string eventId, DateTimeOffset at, string messageId, CancellationToken cancellationToken);

    Task MarkFailedAsync(string eventId, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>When the earliest unpublished row is next due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxMessage>> ListForRunAsync(string runId, CancellationToken cancellationToken);

    Task<int> CountPendingAsync(CancellationToken cancellationToken);
}
