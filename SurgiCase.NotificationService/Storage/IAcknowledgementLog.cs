namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// A critical alert's follow-up in the delivery log (issue 11.3): who acknowledged it and when, and its reminders.
/// Every change is one conditional UPDATE, so replicas sharing the database never both send a reminder and an
/// acknowledgement is recorded once.
/// </summary>
internal interface IAcknowledgementLog
{
    /// <summary>Schedules the first reminder of an alert just emailed (unless it was acknowledged or ended already).</summary>
    Task StartRemindersAsync(long id, DateTimeOffset firstReminderAt, CancellationToken cancellationToken);

    /// <summary>Records the acknowledgement and stops the reminders; only the first acknowledgement counts.</summary>
    Task<AcknowledgeResult> AcknowledgeAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends the reminders of the job's open critical alerts that happened before <paramref name="before"/>.</summary>
    Task<int> EndRemindersAsync(string jobId, DateTimeOffset before, string reason, CancellationToken cancellationToken);

    /// <summary>Alerts whose next reminder is due at <paramref name="now"/>, oldest first.</summary>
    Task<IReadOnlyList<DueReminder>> FindDueRemindersAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes reminder number <c>RemindersSent + 1</c> for this caller: true for exactly one caller, and only while the
    /// alert is unacknowledged. <paramref name="nextReminderAt"/> null with <paramref name="endedNote"/> set ends the reminders.
    /// </summary>
    Task<bool> ClaimReminderAsync(DueReminder reminder, DateTimeOffset? nextReminderAt, string? endedNote, CancellationToken cancellationToken);

    /// <summary>Gives back a claimed reminder that could not be sent, to be tried again at <paramref name="retryAt"/>.</summary>
    Task ReleaseReminderAsync(DueReminder reminder, DateTimeOffset retryAt, CancellationToken cancellationToken);

    Task RecordEscalationAsync(long id, IReadOnlyList<string> recipients, CancellationToken cancellationToken);
}

internal enum AcknowledgeOutcome
{
    Acknowledged,
    AlreadyAcknowledged,
    NotFound,

    /// <summary>Not a critical job alert: nothing to acknowledge.</summary>
    NotAcknowledgeable,
}

internal sealed record AcknowledgeResult(AcknowledgeOutcome Outcome, NotificationRecord? Record);

/// <summary>An alert whose reminder is due, with what was emailed (the reminder re-sends it).</summary>
internal sealed record DueReminder(
    long Id, string JobId, string JobName, int RemindersSent, string Subject, IReadOnlyList<string> Recipients, string Html, string Text);
