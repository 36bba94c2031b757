using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The delivery log in the service's database. A claim is INSERT ... ON CONFLICT DO NOTHING, then a compare-and-set
/// UPDATE: single statements both engines serialise on the row (the UNIQUE index for the insert, the row lock or the
/// database lock for the update), so two consumers or two replicas can never both own an event. Each claim gets a
/// fresh owner token, and every later update of the row matches it and the 'sending' status: an owner whose lease ran
/// out and whose claim was taken over changes nothing (its update reports false). Leases are set and compared on the
/// database's clock, never the app's.
/// </summary>
internal sealed class SqlDeliveryLog(SqlDatabase database, IOptions<NotificationOptions> options, TimeProvider time) : IDeliveryLog
{
    private readonly double _leaseSeconds = options.Value.ClaimLease.TotalSeconds;

    public async Task<ClaimResult> TryClaimAsync(ClaimRequest r, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var now = database.Dialect.NowSeconds;
        var owner = Guid.NewGuid().ToString("N");

        var inserted = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            $"""
            INSERT INTO delivery_log (event_id, message_type, job_id, job_name, error_kind, severity, error_message, occurred_at, status, attempts, created_at, owner, lease_expires, content_hash, in_flight)
            VALUES (@EventId, @MessageType, @JobId, @JobName, @ErrorKind, @Severity, @ErrorMessage, @OccurredAt, 'sending', 1, @Now, @Owner, {now} + @Lease, @ContentHash, @InFlight)
            ON CONFLICT (event_id) DO NOTHING
            RETURNING id AS Id, attempts AS Attempts, status AS Status, in_doubt AS InDoubt, in_flight AS InFlight
            """,
            new
            {
                r.EventId, r.MessageType, r.JobId, r.JobName, r.ErrorKind, r.Severity, r.ErrorMessage, OccurredAt = SqlTime.Format(r.OccurredAt), r.ContentHash,
                InFlight = r.InFlight ? 1 : 0,
                Now = SqlTime.Format(time.GetUtcNow()), Owner = owner, Lease = _leaseSeconds,
            },
            cancellationToken: cancellationToken));
        if (inserted is not null)
        {
            return inserted.ToResult(ClaimOutcome.Claimed, owner);
        }

        if (await FindContentConflictAsync(db, r, cancellationToken) is { } conflict)
        {
            return conflict;
        }

        // Take it over only if the last attempt failed or its owner's lease ran out (the owner died). A dead owner that
        // had started sending leaves the takeover in doubt: SES may have accepted its email. A 'sending' row without a
        // lease was claimed by a version before leases on the database clock: claimable, and in doubt likewise.
        var reclaimed = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            $"""
            UPDATE delivery_log SET status = 'sending', attempts = attempts + 1, owner = @Owner, lease_expires = {now} + @Lease,
                in_doubt = CASE WHEN status = 'sending' AND (in_flight = 1 OR lease_expires IS NULL) THEN 1 ELSE 0 END, in_flight = 0
            WHERE event_id = @EventId AND (status = 'failed' OR (status = 'sending' AND (lease_expires IS NULL OR lease_expires < {now})))
            RETURNING id AS Id, attempts AS Attempts, status AS Status, in_doubt AS InDoubt, in_flight AS InFlight
            """,
            new { r.EventId, Owner = owner, Lease = _leaseSeconds },
            cancellationToken: cancellationToken));
        if (reclaimed is not null)
        {
            return reclaimed.ToResult(ClaimOutcome.Claimed, owner);
        }

        var existing = await db.QuerySingleAsync<ClaimRow>(new CommandDefinition(
            "SELECT id AS Id, attempts AS Attempts, status AS Status, in_doubt AS InDoubt, in_flight AS InFlight FROM delivery_log WHERE event_id = @EventId",
            new { r.EventId }, cancellationToken: cancellationToken));
        return existing.ToResult(DeliveryStatus.IsFinal(existing.Status) ? ClaimOutcome.AlreadyDelivered : ClaimOutcome.InProgress, "");
    }

    /// <summary>
    /// The logged row's content hash against the request's (a row without one adopts it, once): a different hash is a
    /// reused event id. Checked before any takeover, so a reused id never re-opens the original's delivery.
    /// </summary>
    private static async Task<ClaimResult?> FindContentConflictAsync(DbConnection db, ClaimRequest r, CancellationToken cancellationToken)
    {
        if (r.ContentHash is null)
        {
            return null;
        }

        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_log SET content_hash = @ContentHash WHERE event_id = @EventId AND content_hash IS NULL",
            new { r.EventId, r.ContentHash }, cancellationToken: cancellationToken));
        var logged = await db.QuerySingleAsync<HashRow>(new CommandDefinition(
            "SELECT id AS Id, attempts AS Attempts, status AS Status, content_hash AS ContentHash FROM delivery_log WHERE event_id = @EventId",
            new { r.EventId }, cancellationToken: cancellationToken));
        return logged.ContentHash == r.ContentHash
            ? null
            : new ClaimResult(ClaimOutcome.ContentConflict, logged.Id, (int)logged.Attempts, logged.Status);
    }

    public Task<bool> RecordRenderedAsync(ClaimResult claim, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) =>
        FencedAsync(
            "subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text",
            claim, new { subject, recipients = string.Join(',', recipients), note, html, text }, cancellationToken);

    public Task<bool> RecordRenderedInFlightAsync(ClaimResult claim, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) =>
        FencedAsync(
            "subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text, in_flight = 1",
            claim, new { subject, recipients = string.Join(',', recipients), note, html, text }, cancellationToken);

    public Task<bool> MarkInFlightAsync(ClaimResult claim, CancellationToken cancellationToken) =>
        FencedAsync("in_flight = 1", claim, null, cancellationToken);

    public Task<bool> MarkDeliveredAsync(
        ClaimResult claim, string status, string channel, string? sesMessageId, string? lastError, RenderedRecord? rendered, CancellationToken cancellationToken) =>
        FencedAsync(
            $"""
            status = @status, channel = @channel, ses_message_id = @sesMessageId, sent_at = @now,
                last_error = COALESCE(@lastError, last_error), lease_expires = NULL, in_flight = 0{RenderedAssignments(rendered)}
            """,
            claim, WithRendered(new { status, channel, sesMessageId, lastError, now = SqlTime.Format(time.GetUtcNow()) }, rendered), cancellationToken);

    public Task<bool> MarkFailedAsync(ClaimResult claim, string error, RenderedRecord? rendered, CancellationToken cancellationToken) =>
        FencedAsync($"status = 'failed', last_error = @error, lease_expires = NULL, in_flight = 0{RenderedAssignments(rendered)}", claim,
            WithRendered(new { error }, rendered), cancellationToken);

    private static string RenderedAssignments(RenderedRecord? rendered) =>
        rendered is null ? "" : ", subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text";

    private static DynamicParameters WithRendered(object values, RenderedRecord? rendered)
    {
        var parameters = new DynamicParameters(values);
        if (rendered is not null)
        {
            parameters.AddDynamicParams(new
            {
                subject = rendered.Subject, recipients = string.Join(',', rendered.Recipients), note = rendered.Note, html = rendered.Html, text = rendered.Text,
            });
        }

        return parameters;
    }

    public Task<bool> MarkSuppressedAsync(ClaimResult claim, string note, CancellationToken cancellationToken) =>
        FencedAsync("status = 'suppressed', note = @note, lease_expires = NULL, in_flight = 0", claim, new { note }, cancellationToken);

    /// <summary>An update of a claimed row that only its live owner may make; false when the claim was lost.</summary>
    private async Task<bool> FencedAsync(string assignments, ClaimResult claim, object? values, CancellationToken cancellationToken)
    {
        var parameters = new DynamicParameters(values);
        parameters.Add("claimId", claim.Id);
        parameters.Add("claimOwner", claim.Owner);
        await using var db = await database.OpenAsync(cancellationToken);
        var updated = await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_log SET {assignments} WHERE id = @claimId AND owner = @claimOwner AND status = 'sending'",
            parameters, cancellationToken: cancellationToken));
        return updated == 1;
    }

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

    public async Task RecordRequesterAsync(long id, string requestedBy, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_log SET requested_by = @requestedBy WHERE id = @id", new { id, requestedBy }, cancellationToken: cancellationToken));
    }

    public async Task<PriorAlert?> FindLastDeliveredAsync(string jobId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<PriorRow>(new CommandDefinition(
            """
            SELECT id AS Id, message_type AS MessageType, error_kind AS ErrorKind, occurred_at AS OccurredAt FROM delivery_log
            WHERE job_id = @jobId AND id < @beforeId AND status IN ('sent', 'fallback-sent') AND message_type <> @warning
            ORDER BY id DESC LIMIT 1
            """,
            new { jobId, beforeId, warning = Delivery.DeliveryLogTypes.AttemptTimedOut }, cancellationToken: cancellationToken));
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

    private sealed record ClaimRow(long Id, long Attempts, string Status, long InDoubt, long InFlight)
    {
        public ClaimResult ToResult(ClaimOutcome outcome, string owner) => new(outcome, Id, (int)Attempts, Status, owner, InDoubt == 1, InFlight == 1);
    }

    private sealed record HashRow(long Id, long Attempts, string Status, string? ContentHash);

    private sealed record PriorRow(long Id, string MessageType, string? ErrorKind, string OccurredAt);
}
