namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The delivery log's table in PostgreSQL: the same columns as the SQLite one, with real types
/// (timestamptz, bigint identity). Created under an advisory lock because two replicas starting together
/// would otherwise race on CREATE TABLE IF NOT EXISTS (it is not atomic in PostgreSQL).
/// </summary>
internal static class PostgresDeliveryLogSchema
{
    /// <summary>An arbitrary constant: the advisory-lock key for "create the notifications schema".</summary>
    public const long SchemaLockKey = 0x5375_7267_4e6f_7431;

    public const string Create =
        """
        SELECT pg_advisory_xact_lock(@lockKey);
        CREATE TABLE IF NOT EXISTS notifications (
            id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            eventid      text        NOT NULL UNIQUE,
            messagetype  text        NOT NULL,
            jobid        text        NOT NULL,
            jobname      text        NOT NULL,
            errorkind    text,
            occurredat   timestamptz NOT NULL,
            subject      text,
            status       text        NOT NULL,
            channel      text,
            recipients   text,
            note         text,
            sesmessageid text,
            attempts     integer     NOT NULL DEFAULT 0,
            createdat    timestamptz NOT NULL,
            sentat       timestamptz,
            leaseuntil   timestamptz,
            lasterror    text,
            html         text,
            text         text
        );
        CREATE INDEX IF NOT EXISTS ix_notifications_job ON notifications (jobid, errorkind, status, occurredat);
        """;
}

/// <summary>A PostgreSQL delivery-log row as Dapper reads it (timestamptz arrives as a UTC DateTime).</summary>
internal sealed class PostgresRecordRow
{
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
    public int Attempts { get; init; }
    public DateTime CreatedAt { get; init; }
    public DateTime? SentAt { get; init; }
    public string? LastError { get; init; }
    public string? Note { get; init; }

    public NotificationRecord ToRecord() => new(
        Id, EventId, MessageType, JobId, JobName, ErrorKind, Subject, Status, Channel,
        string.IsNullOrEmpty(Recipients) ? [] : Recipients.Split(','),
        SesMessageId, Attempts, Utc(CreatedAt), SentAt is { } sent ? Utc(sent) : null, LastError, Note);

    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));
}
