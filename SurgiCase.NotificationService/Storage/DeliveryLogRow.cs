using SurgiCase.Messaging.Contracts;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>A delivery-log row as Dapper reads it from either engine (times are <see cref="SqlTime"/> text).</summary>
internal sealed class DeliveryLogRow
{
    public const string Columns =
        "id AS Id, event_id AS EventId, message_type AS MessageType, job_id AS JobId, job_name AS JobName, error_kind AS ErrorKind, " +
        "subject AS Subject, status AS Status, channel AS Channel, recipients AS Recipients, ses_message_id AS SesMessageId, " +
        "attempts AS Attempts, created_at AS CreatedAt, sent_at AS SentAt, last_error AS LastError, note AS Note, severity AS Severity, " +
        "acknowledged_at AS AcknowledgedAt, acknowledged_by AS AcknowledgedBy, reminders_sent AS RemindersSent, " +
        "next_reminder_at AS NextReminderAt, reminders_ended AS RemindersEnded, escalated_to AS EscalatedTo, requested_by AS RequestedBy";

    public long Id { get; init; }
    public string EventId { get; init; } = "";
    public string MessageType { get; init; } = "";
    public string JobId { get; init; } = "";
    public string JobName { get; init; } = "";
    public string? ErrorKind { get; init; }
    public string? Subject { get; init; }
    public string Status { get; init; } = "";
    public string? Channel { get; init; }
    public string? Recipients { get; init; }
    public string? SesMessageId { get; init; }
    public long Attempts { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? SentAt { get; init; }
    public string? LastError { get; init; }
    public string? Note { get; init; }
    public string? Severity { get; init; }
    public string? AcknowledgedAt { get; init; }
    public string? AcknowledgedBy { get; init; }
    public long RemindersSent { get; init; }
    public string? NextReminderAt { get; init; }
    public string? RemindersEnded { get; init; }
    public string? EscalatedTo { get; init; }
    public string? RequestedBy { get; init; }

    /// <summary>A critical job failure's own alert (see <c>SqlAcknowledgementLog</c>): it can be acknowledged.</summary>
    public bool IsAcknowledgeable =>
        Severity == Severities.Critical && MessageType is MessageTypes.JobFailed or MessageTypes.JobPartiallyFailed
        && !EventId.EndsWith(Delivery.ParallelChannelDispatcher.EventIdSuffix, StringComparison.Ordinal);

    public NotificationRecord ToRecord() => new(
        Id, EventId, MessageType, JobId, JobName, ErrorKind, Subject, Status, Channel,
        string.IsNullOrEmpty(Recipients) ? [] : Recipients.Split(','),
        SesMessageId, (int)Attempts, SqlTime.Parse(CreatedAt)!.Value, SqlTime.Parse(SentAt), LastError, Note, Severity)
    {
        Acknowledgeable = IsAcknowledgeable,
        AcknowledgedAt = SqlTime.Parse(AcknowledgedAt),
        AcknowledgedBy = AcknowledgedBy,
        RemindersSent = (int)RemindersSent,
        NextReminderAt = SqlTime.Parse(NextReminderAt),
        RemindersEnded = RemindersEnded,
        EscalatedTo = string.IsNullOrEmpty(EscalatedTo) ? null : EscalatedTo.Split(','),
        RequestedBy = RequestedBy,
    };
}
