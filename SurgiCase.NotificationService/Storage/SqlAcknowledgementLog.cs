using Dapper;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// <see cref="IAcknowledgementLog"/> on the delivery log's table. Times are the app's clock (<see cref="SqlTime"/>
/// text, which sorts as it reads): a reminder a few seconds early or late on a skewed replica is harmless, and the
/// fence is <c>reminders_sent</c>, not the time: a claim names the count it saw, so one caller wins each reminder.
/// </summary>
internal sealed class SqlAcknowledgementLog(SqlDatabase database) : IAcknowledgementLog
{
    /// <summary>
    /// The rows a person can acknowledge: critical job failures (not digests, not recoveries, not the record of a post
    /// beside the email). The same rule as <see cref="DeliveryLogRow.IsAcknowledgeable"/>.
    /// </summary>
    private const string Acknowledgeable =
        $"severity = '{Severities.Critical}' AND message_type IN ('{MessageTypes.JobFailed}', '{MessageTypes.JobPartiallyFailed}') " +
        $"AND event_id NOT LIKE '%{Delivery.ParallelChannelDispatcher.EventIdSuffix}'";

    /// <summary>Still waiting for a person: unacknowledged, reminders not ended.</summary>
    private const string Open = "acknowledged_at IS NULL AND reminders_ended IS NULL";

    public async Task StartRemindersAsync(long id, DateTimeOffset firstReminderAt, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_log SET next_reminder_at = @at WHERE id = @id AND {Acknowledgeable} AND {Open} AND reminders_sent = 0 AND next_reminder_at IS NULL",
            new { id, at = SqlTime.Format(firstReminderAt) }, cancellationToken: cancellationToken));
    }

    public async Task<AcknowledgeResult> AcknowledgeAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var updated = await db.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_log SET acknowledged_at = @at, acknowledged_by = @by, next_reminder_at = NULL
            WHERE id = @id AND {Acknowledgeable} AND acknowledged_at IS NULL
            """,
            new { id, by, at = SqlTime.Format(at) }, cancellationToken: cancellationToken));
        var row = await db.QuerySingleOrDefaultAsync<DeliveryLogRow>(new CommandDefinition(
            $"SELECT {DeliveryLogRow.Columns} FROM delivery_log WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        var record = row?.ToRecord();
        var outcome = (updated, record) switch
        {
            (1, _) => AcknowledgeOutcome.Acknowledged,
            (_, null) => AcknowledgeOutcome.NotFound,
            (_, { AcknowledgedAt: not null }) => AcknowledgeOutcome.AlreadyAcknowledged,
            _ => AcknowledgeOutcome.NotAcknowledgeable,
        };
        return new AcknowledgeResult(outcome, record);
    }

    public async Task<int> EndRemindersAsync(string jobId, DateTimeOffset before, string reason, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_log SET next_reminder_at = NULL, reminders_ended = @reason WHERE job_id = @jobId AND occurred_at < @before AND {Acknowledgeable} AND {Open}",
            new { jobId, before = SqlTime.Format(before), reason }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<DueReminder>> FindDueRemindersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<DueRow>(new CommandDefinition(
            $"""
            SELECT id AS Id, job_id AS JobId, job_name AS JobName, reminders_sent AS RemindersSent, subject AS Subject,
                recipients AS Recipients, html AS Html, text AS Text
            FROM delivery_log
            WHERE next_reminder_at IS NOT NULL AND next_reminder_at <= @now AND {Open}
            ORDER BY next_reminder_at, id LIMIT @limit
            """,
            new { now = SqlTime.Format(now), limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new DueReminder(
            r.Id, r.JobId, r.JobName, (int)r.RemindersSent, r.Subject ?? r.JobName,
            string.IsNullOrEmpty(r.Recipients) ? [] : r.Recipients.Split(','), r.Html ?? "", r.Text ?? "")).ToList();
    }

    public async Task<bool> ClaimReminderAsync(DueReminder reminder, DateTimeOffset? nextReminderAt, string? endedNote, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var updated = await db.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE delivery_log SET reminders_sent = reminders_sent + 1, next_reminder_at = @next, reminders_ended = @endedNote
            WHERE id = @Id AND reminders_sent = @RemindersSent AND next_reminder_at IS NOT NULL AND {Open}
            """,
            new { reminder.Id, reminder.RemindersSent, next = SqlTime.Format(nextReminderAt), endedNote }, cancellationToken: cancellationToken));
        return updated == 1;
    }

    public async Task ReleaseReminderAsync(DueReminder reminder, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            """
            UPDATE delivery_log SET reminders_sent = @RemindersSent, next_reminder_at = @retry, reminders_ended = NULL
            WHERE id = @Id AND reminders_sent = @RemindersSent + 1 AND acknowledged_at IS NULL
            """,
            new { reminder.Id, reminder.RemindersSent, retry = SqlTime.Format(retryAt) }, cancellationToken: cancellationToken));
    }

    public async Task RecordEscalationAsync(long id, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_log SET escalated_to = @to WHERE id = @id",
            new { id, to = string.Join(',', recipients) }, cancellationToken: cancellationToken));
    }

    private sealed record DueRow(long Id, string JobId, string JobName, long RemindersSent, string? Subject, string? Recipients, string? Html, string? Text);
}
