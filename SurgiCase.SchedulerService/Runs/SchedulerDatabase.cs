using System.Data.Common;
using System.Globalization;

namespace SurgiCase.SchedulerService.Runs;

/// <summary>
/// Where run history, job state, the audit trail and the outbox live: SQLite by default, PostgreSQL in cluster
/// mode. Both hold the same tables with the same columns, so every store speaks one SQL dialect.
/// </summary>
internal abstract class SchedulerDatabase
{
    /// <summary>A column giving insertion order, to break ties between rows written in the same instant.</summary>
    public abstract string InsertionOrder { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public abstract Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>The tables, minus what differs between engines (the insertion-order column, integer width).</summary>
    protected static string Schema(string integer, string sequenceColumn) => $"""
        CREATE TABLE IF NOT EXISTS runs (
            run_id        TEXT PRIMARY KEY,
            job_id        TEXT NOT NULL,
            trigger       TEXT NOT NULL,
            requested_by  TEXT NULL,
            queued_at     TEXT NOT NULL,
            started_at    TEXT NULL,
            finished_at   TEXT NULL,
            outcome       TEXT NOT NULL,
            attempts      {integer} NOT NULL DEFAULT 0,
            error_kind    TEXT NULL,
            error_message TEXT NULL,
            trace_id      TEXT NULL{sequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_runs_job_queued ON runs (job_id, queued_at DESC);
        CREATE TABLE IF NOT EXISTS job_state (
            job_id              TEXT PRIMARY KEY,
            paused              {integer} NOT NULL DEFAULT 0,
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
            at        TEXT NOT NULL{sequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_job_actions_job_at ON job_actions (job_id, at DESC);
        CREATE TABLE IF NOT EXISTS outbox (
            event_id        TEXT PRIMARY KEY,
            run_id          TEXT NOT NULL,
            job_id          TEXT NOT NULL,
            message_type    TEXT NOT NULL,
            body            TEXT NOT NULL,
            trace_parent    TEXT NULL,
            created_at      TEXT NOT NULL,
            attempts        {integer} NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            claimed_by      TEXT NULL,
            claimed_until   TEXT NULL,
            published_at    TEXT NULL,
            message_id      TEXT NULL,
            last_error      TEXT NULL{sequenceColumn}
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_pending ON outbox (published_at, next_attempt_at);
        """;
}

/// <summary>Instants are stored as fixed-width ISO-8601 UTC text, so text order is time order in both engines.</summary>
internal static class SqlTime
{
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static string? Format(DateTimeOffset? instant) => instant is { } value ? Format(value) : null;

    public static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Creates the schema before anything else starts, so the first run never meets a missing table.</summary>
internal sealed class DatabaseInitializer(SchedulerDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
