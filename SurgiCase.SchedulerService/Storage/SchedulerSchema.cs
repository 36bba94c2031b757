using SurgiCase.Storage;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>
/// Run history, job state, the audit trail and pending automatic recoveries (the outbox brings its own table).
/// <c>run_failed_items</c> keeps every failed item a partial run reported (its event carries only the first few), pruned
/// with its run. Both engines hold the same tables with the same columns, so
/// every store speaks one SQL; instants are <see cref="SqlTime"/> text.
/// </summary>
internal static class SchedulerSchema
{
    /// <summary>
    /// The history of the tables, each column declared once. Versions 1 to 3 shipped before the history existed, so each
    /// is idempotent (a database an earlier version made may have any of them).
    /// </summary>
    public static SqlSchema Tables { get; } = new(
        "scheduler",
        SqlMigration.Run(1, "runs, run_failed_items, job_state, job_actions, recoveries", Create),
        SqlMigration.AddColumn(2, new("runs", "severity", _ => "TEXT NULL")),
        SqlMigration.AddColumn(3, new("runs", "failed_item_count", sql => $"{sql.Integer} NOT NULL DEFAULT 0")),
        // The operations page's sessions ended by sign-out, refused on every replica until they would have expired.
        SqlMigration.Run(4, "revoked_sessions", _ => """
            CREATE TABLE revoked_sessions (
                session_id TEXT PRIMARY KEY,
                until      TEXT NOT NULL
            );
            CREATE INDEX ix_revoked_sessions_until ON revoked_sessions (until);
            """));

    private static string Create(SqlDialect sql) => $"""
        CREATE TABLE IF NOT EXISTS runs (
            run_id        TEXT PRIMARY KEY,
            job_id        TEXT NOT NULL,
            trigger       TEXT NOT NULL,
            requested_by  TEXT NULL,
            queued_at     TEXT NOT NULL,
            started_at    TEXT NULL,
            finished_at   TEXT NULL,
            outcome       TEXT NOT NULL,
            attempts      {sql.Integer} NOT NULL DEFAULT 0,
            error_kind    TEXT NULL,
            error_message TEXT NULL,
            trace_id      TEXT NULL{sql.SequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_runs_job_queued ON runs (job_id, queued_at DESC);
        CREATE TABLE IF NOT EXISTS run_failed_items (
            run_id   TEXT NOT NULL,
            position {sql.Integer} NOT NULL,
            job_id   TEXT NOT NULL,
            item     TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        );
        CREATE INDEX IF NOT EXISTS ix_run_failed_items_job ON run_failed_items (job_id);
        CREATE TABLE IF NOT EXISTS job_state (
            job_id              TEXT PRIMARY KEY,
            paused              {sql.Integer} NOT NULL DEFAULT 0,
            paused_by           TEXT NULL,
            paused_at           TEXT NULL,
            watch_since         TEXT NOT NULL,
            last_scheduled_fire TEXT NULL,
            missed_alerted_fire TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS job_actions (
            action_id TEXT PRIMARY KEY,
            job_id    TEXT NOT NULL,
            action    TEXT NOT NULL,
            actor     TEXT NOT NULL,
            at        TEXT NOT NULL{sql.SequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_job_actions_job_at ON job_actions (job_id, at DESC);
        CREATE TABLE IF NOT EXISTS recoveries (
            failed_run_id   TEXT PRIMARY KEY,
            job_id          TEXT NOT NULL,
            error_kind      TEXT NOT NULL,
            dependency      TEXT NOT NULL,
            idempotency_key TEXT NOT NULL,
            failed_at       TEXT NOT NULL,
            status          TEXT NOT NULL,
            recovery_run_id TEXT NULL,
            resolved_at     TEXT NULL,
            note            TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_recoveries_status ON recoveries (status, job_id);
        """;
}
