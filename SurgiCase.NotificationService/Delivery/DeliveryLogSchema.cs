using System.Globalization;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>The delivery log's table. Times are ISO-8601 UTC text; the claim lease is Unix milliseconds so it compares as a number.</summary>
internal static class DeliveryLogSchema
{
    public const string Create =
        """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS notifications (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            eventId      TEXT    NOT NULL UNIQUE,
            messageType  TEXT    NOT NULL,
            jobId        TEXT    NOT NULL,
            jobName      TEXT    NOT NULL,
            errorKind    TEXT,
            occurredAt   TEXT    NOT NULL,
            subject      TEXT,
            status       TEXT    NOT NULL,
            channel      TEXT,
            recipients   TEXT,
            note         TEXT,
            sesMessageId TEXT,
            attempts     INTEGER NOT NULL DEFAULT 0,
            createdAt    TEXT    NOT NULL,
            sentAt       TEXT,
            leaseUntil   INTEGER,
            lastError    TEXT,
            html         TEXT,
            text         TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_notifications_job ON notifications (jobId, errorKind, status, occurredAt);
        """;
}

/// <summary>A delivery-log row as Dapper reads it; converted to the API's record.</summary>
internal sealed class RecordRow
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
    public long Attempts { get; init; }
    public string CreatedAt { get; init; } = "";
    public string? SentAt { get; init; }
    public string? LastError { get; init; }
    public string? Note { get; init; }

    public NotificationRecord ToRecord() => new(
        Id, EventId, MessageType, JobId, JobName, ErrorKind, Subject, Status, Channel,
        string.IsNullOrEmpty(Recipients) ? [] : Recipients.Split(','),
        SesMessageId, (int)Attempts, Parse(CreatedAt), SentAt is null ? null : Parse(SentAt), LastError, Note);

    private static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
