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
