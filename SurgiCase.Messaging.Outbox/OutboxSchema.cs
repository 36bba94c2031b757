using SurgiCase.Storage;

namespace SurgiCase.Messaging.Outbox;

/// <summary>The outbox table, in whichever service database registers it (<c>AddJobEventOutbox</c>).</summary>
public static class OutboxSchema
{
    /// <summary>Versions 1 and 2 shipped before the history existed, so each is idempotent.</summary>
    public static SqlSchema Table { get; } = new(
        "outbox",
        SqlMigration.Run(1, "outbox", Create),
        // Set when a row is given up on (too large for the transport, or out of attempts): never claimed again.
        SqlMigration.AddColumn(2, new("outbox", "parked_at", _ => "TEXT NULL")));

    private static string Create(SqlDialect sql) => $"""
        CREATE TABLE IF NOT EXISTS outbox (
            event_id        TEXT PRIMARY KEY,
            run_id          TEXT NOT NULL,
            job_id          TEXT NOT NULL,
            message_type    TEXT NOT NULL,
            body            TEXT NOT NULL,
            trace_parent    TEXT NULL,
            created_at      TEXT NOT NULL,
            attempts        {sql.Integer} NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_by      TEXT NULL,
            claimed_until   TEXT NULL,
            published_at    TEXT NULL,
            message_id      TEXT NULL,
            last_error      TEXT NULL{sql.SequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox (published_at, next_attempt_at);
        """;
}
