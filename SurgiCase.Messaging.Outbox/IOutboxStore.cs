namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// Outbox rows for the dispatcher: add, claim, mark published, reschedule. A service that stores events together with
/// its own rows writes them with <see cref="SqlOutboxStore.InsertAsync"/> inside its transaction instead of
/// <see cref="AddAsync"/>.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Stores one event on its own, due at once.</summary>
    Task AddAsync(OutboxMessage message, CancellationToken cancellationToken);

    /// <summary>Due unpublished rows, oldest first, each reserved for <paramref name="owner"/> until <paramref name="claimUntil"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(string owner, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken);

    Task MarkPublishedAsync(string eventId, DateTimeOffset at, string messageId, CancellationToken cancellationToken);

    Task MarkFailedAsync(string eventId, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken);

    /// <summary>When the earliest unpublished row is next due, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<OutboxMessage>> ListForRunAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Unpublished rows still to be tried (parked ones not counted).</summary>
    Task<int> CountPendingAsync(CancellationToken cancellationToken);

    /// <summary>Gives up on a row: it is kept, with the reason, but never claimed again.</summary>
    Task ParkAsync(string eventId, int attempts, DateTimeOffset at, string reason, CancellationToken cancellationToken);

    /// <summary>Pending and parked counts and the oldest pending row's creation time, for health and metrics.</summary>
    Task<OutboxStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>Unpublished rows the transport has refused at least once: alerts nobody has received yet.</summary>
    Task<int> CountRetryingAsync(CancellationToken cancellationToken);
}
