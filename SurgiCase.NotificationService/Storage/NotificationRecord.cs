namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// One row of the delivery log as the API shows it (without the rendered bodies), with a critical alert's
/// acknowledgement and reminders (issue 11.3).
/// </summary>
internal sealed record NotificationRecord(
    long Id,
    string EventId,
    string MessageType,
    string JobId,
    string JobName,
    string? ErrorKind,
    string? Subject,
    string Status,
    string? Channel,
    IReadOnlyList<string> Recipients,
    string? SesMessageId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    string? LastError,
    string? Note,
    string? Severity = null)
{
    /// <summary>A critical job alert: it carries an acknowledge link and can be acknowledged.</summary>
    public bool Acknowledgeable { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>"via email link", or the operator's name and where they acknowledged.</summary>
    public string? AcknowledgedBy { get; init; }

    public int RemindersSent { get; init; }

    /// <summary>When the next reminder is due; null when none is pending.</summary>
    public DateTimeOffset? NextReminderAt { get; init; }

    /// <summary>Why reminders stopped without an acknowledgement (the job recovered, or the escalation went out).</summary>
    public string? RemindersEnded { get; init; }

    /// <summary>Who the escalation was sent to, once it was.</summary>
    public IReadOnlyList<string>? EscalatedTo { get; init; }

    /// <summary>A test alert's sender: "Name [subject] (operations page)" or "operator (API)"; null on every other alert.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>
    /// What SES reported per recipient (delivered, bounced, complained), oldest first; null until feedback arrives (or
    /// when none is read: <c>Notifications:Feedback:QueueName</c> unset).
    /// </summary>
    public IReadOnlyList<RecipientStatus>? Deliveries { get; init; }
}
