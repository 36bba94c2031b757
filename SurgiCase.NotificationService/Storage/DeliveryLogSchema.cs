using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The delivery log's table, the same in SQLite and PostgreSQL. Instants are <see cref="SqlTime"/> text, except the
/// claim lease: <c>lease_expires</c> is seconds on the database's own clock (<see cref="SqlDialect.NowSeconds"/>), so
/// replicas with skewed clocks agree on when a claim is dead. <c>owner</c> is the live claim's token, which every
/// update after the claim must match; <c>in_flight</c> says the owner started a send it has not recorded yet, and
/// <c>in_doubt</c> that the current attempt took such a claim over (an earlier attempt may have been delivered).
/// <c>content_hash</c> is the hash of the event's canonical content: a redelivery of the event id with other content
/// is a reused id (poison), not a duplicate. A row from before the column has none and adopts the first one offered.
/// A critical alert's follow-up (issue 11.3): <c>acknowledged_at</c>/<c>acknowledged_by</c>, <c>reminders_sent</c> (also the
/// fence that lets one replica send each reminder), <c>next_reminder_at</c> (null: no reminder pending),
/// <c>reminders_ended</c> (why they stopped) and <c>escalated_to</c> (who the escalation went to).
/// <c>requested_by</c> (version 17) names who sent a test alert (issue 18): "Name [subject] (operations page)" or
/// "operator (API)"; null on every other row. <c>delivery_feedback</c> (version 16) holds SES's delivery feedback per recipient.
/// <c>delivery_log_probe</c> holds one row that <see cref="DeliveryLogWriteProbe"/> rewrites to learn whether the
/// database takes writes again after a failed one.
/// </summary>
internal static class DeliveryLogSchema
{
    /// <summary>The name under <c>ConnectionStrings</c>, as Aspire's <c>WithReference</c> sets it for a database named "notifications".</summary>
    public const string ConnectionName = "Notifications";

    public const string SqliteFileName = "notifications.db";

    /// <summary>
    /// The history of the table, each column declared once. Versions 1 to 15 shipped before the history existed, so
    /// each is idempotent (a database an earlier version made may have any of them). The first release's
    /// <c>lease_until</c> stays, unused: a row it leased has no owner and is claimable again.
    /// </summary>
    public static SqlSchema Table { get; } = new(
        "delivery-log",
        SqlMigration.Run(1, "delivery_log as first released", FirstRelease),
        SqlMigration.AddColumn(2, new("delivery_log", "severity", _ => "TEXT NULL")),
        SqlMigration.AddColumn(3, new("delivery_log", "error_message", _ => "TEXT NULL")),
        SqlMigration.AddColumn(4, new("delivery_log", "owner", _ => "TEXT NULL")),
        SqlMigration.AddColumn(5, new("delivery_log", "lease_expires", sql => $"{sql.Real} NULL")),
        SqlMigration.AddColumn(6, new("delivery_log", "in_flight", sql => $"{sql.Integer} NOT NULL DEFAULT 0")),
        SqlMigration.AddColumn(7, new("delivery_log", "in_doubt", sql => $"{sql.Integer} NOT NULL DEFAULT 0")),
        SqlMigration.AddColumn(8, new("delivery_log", "content_hash", _ => "TEXT NULL")),
        SqlMigration.AddColumn(9, new("delivery_log", "acknowledged_at", _ => "TEXT NULL")),
        SqlMigration.AddColumn(10, new("delivery_log", "acknowledged_by", _ => "TEXT NULL")),
        SqlMigration.AddColumn(11, new("delivery_log", "reminders_sent", sql => $"{sql.Integer} NOT NULL DEFAULT 0")),
        SqlMigration.AddColumn(12, new("delivery_log", "next_reminder_at", _ => "TEXT NULL")),
        SqlMigration.AddColumn(13, new("delivery_log", "reminders_ended", _ => "TEXT NULL")),
        SqlMigration.AddColumn(14, new("delivery_log", "escalated_to", _ => "TEXT NULL")),
        SqlMigration.Run(15, "delivery_log_probe", sql => $"""
            CREATE TABLE IF NOT EXISTS delivery_log_probe (
                id        {sql.Integer} PRIMARY KEY,
                probes    {sql.Integer} NOT NULL,
                probed_at TEXT NOT NULL
            );
            """),
        SqlMigration.Run(16, "delivery_feedback", DeliveryFeedback),
        SqlMigration.AddColumn(17, new("delivery_log", "requested_by", _ => "TEXT NULL")));

    /// <summary>
    /// What SES reported back per recipient of a sent email (issue 19.3), keyed to the alert by <c>ses_message_id</c>:
    /// <c>outcome</c> delivered, bounced or complained (once each per email and recipient), <c>permanent</c> for a hard
    /// bounce, <c>rebound</c> the re-send a bounced critical alert got (null: none yet; the claim makes it once), and
    /// <c>cleared_at</c>/<c>cleared_by</c> when an operator cleared a bounced address's flag.
    /// </summary>
    private static string DeliveryFeedback(SqlDialect sql) => $"""
        CREATE TABLE IF NOT EXISTS delivery_feedback (
            id             {sql.IdentityKey},
            ses_message_id TEXT NOT NULL,
            recipient      TEXT NOT NULL,
            outcome        TEXT NOT NULL,
            permanent      {sql.Integer} NOT NULL DEFAULT 0,
            detail         TEXT NULL,
            occurred_at    TEXT NOT NULL,
            recorded_at    TEXT NOT NULL,
            rebound        TEXT NULL,
            cleared_at     TEXT NULL,
            cleared_by     TEXT NULL,
            UNIQUE (ses_message_id, recipient, outcome)
        );
        CREATE INDEX IF NOT EXISTS ix_delivery_feedback_recipient ON delivery_feedback (recipient, outcome, occurred_at);
        CREATE INDEX IF NOT EXISTS ix_delivery_log_ses_message ON delivery_log (ses_message_id);
        """;

    private static string FirstRelease(SqlDialect sql) => $"""
        CREATE TABLE IF NOT EXISTS delivery_log (
            id             {sql.IdentityKey},
            event_id       TEXT NOT NULL UNIQUE,
            message_type   TEXT NOT NULL,
            job_id         TEXT NOT NULL,
            job_name       TEXT NOT NULL,
            error_kind     TEXT NULL,
            occurred_at    TEXT NOT NULL,
            subject        TEXT NULL,
            status         TEXT NOT NULL,
            channel        TEXT NULL,
            recipients     TEXT NULL,
            note           TEXT NULL,
            ses_message_id TEXT NULL,
            attempts       {sql.Integer} NOT NULL DEFAULT 0,
            created_at     TEXT NOT NULL,
            sent_at        TEXT NULL,
            lease_until    TEXT NULL,
            last_error     TEXT NULL,
            html           TEXT NULL,
            text           TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_delivery_log_job ON delivery_log (job_id, error_kind, status, occurred_at);
        """;
}
