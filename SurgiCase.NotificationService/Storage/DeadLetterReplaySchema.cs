using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The audit of dead-letter replays (issue 19.4): one row per message an operator sent back from the DLQ to the job-events
/// queue, saying who, when, which event and why it had been dead-lettered. A part of its own in the schema history, so its
/// versions never collide with the delivery log's.
/// </summary>
internal static class DeadLetterReplaySchema
{
    public static SqlSchema Table { get; } = new(
        "dead-letter-replays",
        SqlMigration.Run(1, "dead_letter_replays", sql => $"""
            CREATE TABLE IF NOT EXISTS dead_letter_replays (
                id            {sql.IdentityKey},
                event_id      TEXT NULL,
                message_id    TEXT NOT NULL,
                message_type  TEXT NULL,
                job_id        TEXT NULL,
                reason        TEXT NULL,
                replayed_by   TEXT NOT NULL,
                replayed_at   TEXT NOT NULL,
                reopened      {sql.Integer} NOT NULL DEFAULT 0
            );
            CREATE INDEX IF NOT EXISTS ix_dead_letter_replays_event ON dead_letter_replays (event_id);
            """));
}
