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
