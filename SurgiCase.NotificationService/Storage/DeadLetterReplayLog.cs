using Dapper;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The replay audit (<see cref="DeadLetterReplaySchema"/>) and the two things a replay needs from the delivery log: what
/// became of an event so far, and re-opening an alert that only the fallback webhook got, so the replayed message is
/// emailed once instead of being recognised as delivered.
/// </summary>
internal sealed class DeadLetterReplayLog(SqlDatabase database)
{
    public async Task RecordAsync(DeadLetterReplay replay, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dead_letter_replays (event_id, message_id, message_type, job_id, reason, replayed_by, replayed_at, reopened)
            VALUES (@EventId, @MessageId, @MessageType, @JobId, @Reason, @ReplayedBy, @At, @Reopened)
            """,
            new
            {
                replay.EventId, replay.MessageId, replay.MessageType, replay.JobId, replay.Reason, replay.ReplayedBy,
                At = SqlTime.Format(replay.ReplayedAt), Reopened = replay.Reopened ? 1 : 0,
            },
            cancellationToken: cancellationToken));
    }

    /// <summary>The latest replays, newest first.</summary>
    public async Task<IReadOnlyList<DeadLetterReplay>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<ReplayRow>(new CommandDefinition(
            """
            SELECT event_id AS EventId, message_id AS MessageId, message_type AS MessageType, job_id AS JobId, reason AS Reason,
                replayed_by AS ReplayedBy, replayed_at AS ReplayedAt, reopened AS Reopened
            FROM dead_letter_replays ORDER BY id DESC LIMIT @limit
            """,
            new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new DeadLetterReplay(
            r.EventId, r.MessageId, r.MessageType, r.JobId, r.Reason, r.ReplayedBy, SqlTime.Parse(r.ReplayedAt)!.Value, r.Reopened != 0)).ToList();
    }

    /// <summary>The delivery log's status of each event that has a row (sent: a replay sends nothing more).</summary>
    public async Task<IReadOnlyDictionary<string, string>> DeliveryStatusesAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken)
    {
        if (eventIds.Count == 0)
        {
            return new Dictionary<string, string>();
        }

        await using var db = await database.OpenAsync(cancellationToken);
        var parameters = new DynamicParameters();
        var ids = SqlList.In("eventId", eventIds, parameters);
        var rows = await db.QueryAsync<(string EventId, string Status)>(new CommandDefinition(
            $"SELECT event_id, status FROM delivery_log WHERE event_id IN {ids}", parameters, cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.EventId, r => r.Status, StringComparer.Ordinal);
    }

    /// <summary>
    /// An alert that reached people only through the fallback webhook becomes 'failed' again, so the replayed message
    /// claims it and sends the email (once: the claim is the delivery log's usual one). Any other status is left alone:
    /// a sent alert stays sent, and the replay is recognised as its duplicate.
    /// </summary>
    /// <returns>True when the row was re-opened.</returns>
    public async Task<bool> ReopenFallbackAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_log SET status = '{DeliveryStatus.Failed}' WHERE event_id = @eventId AND status = '{DeliveryStatus.FallbackSent}'",
            new { eventId }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Undoes <see cref="ReopenFallbackAsync"/> when the replayed message could not be sent to the queue after all.</summary>
    public async Task UndoReopenAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_log SET status = '{DeliveryStatus.FallbackSent}' WHERE event_id = @eventId AND status = '{DeliveryStatus.Failed}'",
            new { eventId }, cancellationToken: cancellationToken));
    }

    private sealed record ReplayRow(
        string? EventId, string MessageId, string? MessageType, string? JobId, string? Reason, string ReplayedBy, string ReplayedAt, long Reopened);
}

/// <summary>One audited replay.</summary>
/// <param name="Reopened">The alert had reached people through the fallback webhook only; the replay re-opened it for email.</param>
internal sealed record DeadLetterReplay(
    string? EventId, string MessageId, string? MessageType, string? JobId, string? Reason, string ReplayedBy, DateTimeOffset ReplayedAt, bool Reopened);
