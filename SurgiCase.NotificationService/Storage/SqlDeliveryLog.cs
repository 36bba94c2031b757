using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The delivery log in the service's database. A claim is INSERT ... ON CONFLICT DO NOTHING, then a compare-and-set
/// UPDATE: single statements both engines serialise on the row (the UNIQUE index for the insert, the row lock or the
/// database lock for the update), so two consumers or two replicas can never both own an event.
/// </summary>
internal sealed class SqlDeliveryLog(SqlDatabase database, IOptions<NotificationOptions> options, TimeProvider time) : IDeliveryLog
{
    private readonly TimeSpan _lease = options.Value.ClaimLease;

    public async Task<ClaimResult> TryClaimAsync(ClaimRequest r, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var now = time.GetUtcNow();
        var leaseUntil = SqlTime.Format(now + _lease);

        var inserted = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            INSERT INTO delivery_log (event_id, message_type, job_id, job_name, error_kind, severity, error_message, occurred_at, status, attempts, created_at, lease_until)
            VALUES (@EventId, @MessageType, @JobId, @JobName, @ErrorKind, @Severity, @ErrorMessage, @OccurredAt, 'sending', 1, @Now, @LeaseUntil)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, r.MessageType, r.JobId, r.JobName, r.ErrorKind, r.Severity, r.ErrorMessage, OccurredAt = SqlTime.Format(r.OccurredAt), Now = SqlTime.Format(now), LeaseUntil = leaseUntil },
            cancellationToken: cancellationToken));
        if (inserted is not null)
        {
            return inserted.ToResult(ClaimOutcome.Claimed);
        }

        // Take it over only if the last attempt failed or its owner's lease ran out (the owner died).
        var reclaimed = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            UPDATE delivery_log SET status = 'sending', attempts = attempts + 1, lease_until = @LeaseUntil
            WHERE event_id = @EventId AND (status = 'failed' OR (status = 'sending' AND lease_until < @Now))
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, LeaseUntil = leaseUntil, Now = SqlTime.Format(now) },
            cancellationToken: cancellationToken));
        if (reclaimed is not null)
        {
            return reclaimed.ToResult(ClaimOutcome.Claimed);
        }

        var existing = await db.QuerySingleAsync<ClaimRow>(new CommandDefinition(
            "SELECT id AS Id, attempts AS Attempts, status AS Status FROM delivery_log WHERE event_id = @EventId",
            new { r.EventId }, cancellationToken: cancellationToken));
        return existing.ToResult(DeliveryStatus.IsFinal(existing.Status) ? ClaimOutcome.AlreadyDelivered : ClaimOutcome.InProgress);
    }

    public Task RecordRenderedAsync(long id, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE delivery_log SET subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text WHERE id = @id",
            new { id, subject, recipients = string.Join(',', recipients), note, html, text }, cancellationToken);

    public Task MarkDeliveredAsync(long id, string status, string channel, string? sesMessageId, string? lastError, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE delivery_log SET status = @status, channel = @channel, ses_message_id = @sesMessageId, sent_at = @now,
                last_error = COALESCE(@lastError, last_error), lease_until = NULL
            WHERE id = @id
            """,
            new { id, status, channel, sesMessageId, lastError, now = SqlTime.Format(time.GetUtcNow()) }, cancellationToken);

    public Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE delivery_log SET status = 'failed', last_error = @error, lease_until = NULL WHERE id = @id", new { id, error }, cancellationToken);

    public Task MarkSuppressedAsync(long id, string note, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE delivery_log SET status = 'suppressed', note = @note, lease_until = NULL WHERE id = @id", new { id, note }, cancellationToken);

    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<DeliveryLogRow>(new CommandDefinition(
            $"SELECT {DeliveryLogRow.Columns} FROM delivery_log ORDER BY id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<NotificationRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<DeliveryLogRow>(new CommandDefinition(
            $"SELECT {DeliveryLogRow.Columns} FROM delivery_log WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<string?> GetHtmlAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT html FROM delivery_log WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<PriorAlert?> FindLastDeliveredAsync(string jobId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<PriorRow>(new CommandDefinition(
            """
            SELECT id AS Id, message_type AS MessageType, error_kind AS ErrorKind, occurred_at AS OccurredAt FROM delivery_log
            WHERE job_id = @jobId AND id < @beforeId AND status IN ('sent', 'fallback-sent')
            ORDER BY id DESC LIMIT 1
            """,
            new { jobId, beforeId }, cancellationToken: cancellationToken));
        return row is null ? null : new PriorAlert(row.Id, row.MessageType, row.ErrorKind, SqlTime.Parse(row.OccurredAt)!.Value);
    }

    public async Task<SuppressedRepeats> CountSuppressedAsync(string jobId, long afterId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.QuerySingleAsync<(long Count, string? FirstAt, long? LastId)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(occurred_at), MAX(id) FROM delivery_log WHERE job_id = @jobId AND id > @afterId AND id < @beforeId AND status = 'suppressed'",
            new { jobId, afterId, beforeId }, cancellationToken: cancellationToken));
        if (row.LastId is not { } lastId)
        {
            return new SuppressedRepeats(0, null, null);
        }

        var last = await db.QuerySingleAsync<(string OccurredAt, string? ErrorMessage, string JobName, string? Severity, string? ErrorKind)>(new CommandDefinition(
            "SELECT occurred_at, error_message, job_name, severity, error_kind FROM delivery_log WHERE id = @lastId",
            new { lastId }, cancellationToken: cancellationToken));
        return new SuppressedRepeats((int)row.Count, SqlTime.Parse(row.FirstAt),
            new SuppressedFailure(lastId, jobId, last.JobName, last.ErrorKind, last.Severity, last.ErrorMessage, SqlTime.Parse(last.OccurredAt)!.Value));
    }

    public async Task<IReadOnlyList<string>> FindJobsWithUnreportedRepeatsAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var jobs = await db.QueryAsync<string>(new CommandDefinition(
            """
            SELECT DISTINCT s.job_id FROM delivery_log s
            WHERE s.status = 'suppressed' AND s.id > COALESCE(
                (SELECT MAX(d.id) FROM delivery_log d WHERE d.job_id = s.job_id AND d.status IN ('sent', 'fallback-sent')), 0)
            """,
            cancellationToken: cancellationToken));
        return jobs.ToList();
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private sealed record ClaimRow(long Id, long Attempts, string Status)
    {
        public ClaimResult ToResult(ClaimOutcome outcome) => new(outcome, Id, (int)Attempts, Status);
    }

    private sealed record PriorRow(long Id, string MessageType, string? ErrorKind, string OccurredAt);
}
