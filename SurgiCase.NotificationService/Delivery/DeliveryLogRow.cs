namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// A delivery-log row as Dapper reads it: the columns both stores read alike. Each store's row adds the
/// attempts and time columns in the types its driver returns, and converts them for the API's record.
/// </summary>
internal abstract class DeliveryLogRow
{
    public const string Columns =
        "id, eventId, messageType, jobId, jobName, errorKind, subject, status, channel, recipients, sesMessageId, attempts, createdAt, sentAt, lastError, note";

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
    public string? LastError { get; init; }
    public string? Note { get; init; }

    public abstract NotificationRecord ToRecord();

    protected NotificationRecord ToRecord(int attempts, DateTimeOffset createdAt, DateTimeOffset? sentAt) => new(
        Id, EventId, MessageType, JobId, JobName, ErrorKind, Subject, Status, Channel,
        string.IsNullOrEmpty(Recipients) ? [] : Recipients.Split(','),
        SesMessageId, attempts, createdAt, sentAt, LastError, Note);
}
