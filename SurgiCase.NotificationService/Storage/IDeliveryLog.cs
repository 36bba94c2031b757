namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// The persistent record of every alert: the idempotency guard (one delivery per event id, across
/// redeliveries, restarts and replicas) and the history the API shows.
/// </summary>
internal interface IDeliveryLog
{
    /// <summary>Atomically takes ownership of an event's delivery, or says why not.</summary>
    Task<ClaimResult> TryClaimAsync(ClaimRequest request, CancellationToken cancellationToken);

    // Every update of a claimed row is fenced on the claim: it returns false, and changes nothing, when the claim's
    // lease ran out and another consumer took the row over.

    /// <summary>Keeps the rendered email and its recipients, so the preview works even when sending fails.</summary>
    Task<bool> RecordRenderedAsync(ClaimResult claim, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken);

    /// <summary>Says a channel is about to be called: a takeover of this claim after its lease is then in doubt.</summary>
    Task<bool> MarkInFlightAsync(ClaimResult claim, CancellationToken cancellationToken);

    /// <summary>
    /// <see cref="RecordRenderedAsync"/> and <see cref="MarkInFlightAsync"/> as one write, for an alert whose channel is
    /// called right after: one commit less on the way to the email.
    /// </summary>
    async Task<bool> RecordRenderedInFlightAsync(
        ClaimResult claim, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) =>
        await RecordRenderedAsync(claim, subject, recipients, note, html, text, cancellationToken) && await MarkInFlightAsync(claim, cancellationToken);

    /// <param name="lastError">Why an earlier channel failed, when the alert got through on the fallback.</param>
    Task<bool> MarkDeliveredAsync(ClaimResult claim, string status, string channel, string? sesMessageId, string? lastError, CancellationToken cancellationToken) =>
        MarkDeliveredAsync(claim, status, channel, sesMessageId, lastError, null, cancellationToken);

    /// <param name="rendered">The rendered alert, when it was not recorded before the send (a claim taken in flight): kept in the same write.</param>
    Task<bool> MarkDeliveredAsync(
        ClaimResult claim, string status, string channel, string? sesMessageId, string? lastError, RenderedRecord? rendered, CancellationToken cancellationToken);

    Task<bool> MarkFailedAsync(ClaimResult claim, string error, CancellationToken cancellationToken) => MarkFailedAsync(claim, error, null, cancellationToken);

    /// <param name="rendered">As for <see cref="MarkDeliveredAsync(ClaimResult, string, string, string?, string?, RenderedRecord?, CancellationToken)"/>: the preview works after a failure too.</param>
    Task<bool> MarkFailedAsync(ClaimResult claim, string error, RenderedRecord? rendered, CancellationToken cancellationToken);

    Task<IReadOnlyList<NotificationRecord>> ListAsync(int limit, CancellationToken cancellationToken);

    Task<NotificationRecord?> GetAsync(long id, CancellationToken cancellationToken);

    Task<string?> GetHtmlAsync(long id, CancellationToken cancellationToken);

    /// <summary>Names who sent test alert <paramref name="id"/> (its row exists once the dispatcher claimed it).</summary>
    Task RecordRequesterAsync(long id, string requestedBy, CancellationToken cancellationToken);

    /// <summary>The job's latest alert that reached someone (sent or fallback-sent), older than <paramref name="beforeId"/>.</summary>
    Task<PriorAlert?> FindLastDeliveredAsync(string jobId, long beforeId, CancellationToken cancellationToken);

    /// <summary>Suppressed repeats of the job between two log ids (exclusive): how many, the first one's time, the last one.</summary>
    Task<SuppressedRepeats> CountSuppressedAsync(string jobId, long afterId, long beforeId, CancellationToken cancellationToken);

    /// <summary>Jobs with suppressed repeats that no alert has reported yet (none was delivered after them).</summary>
    Task<IReadOnlyList<string>> FindJobsWithUnreportedRepeatsAsync(CancellationToken cancellationToken);

    Task<bool> MarkSuppressedAsync(ClaimResult claim, string note, CancellationToken cancellationToken);
}

/// <summary>An earlier alert of the same job, for alert-storm decisions.</summary>
internal sealed record PriorAlert(long Id, string MessageType, string? ErrorKind, DateTimeOffset OccurredAt);

/// <summary>Folded repeats between two alerts: how many, since when, and the latest of them.</summary>
internal sealed record SuppressedRepeats(int Count, DateTimeOffset? FirstAt, SuppressedFailure? Last);

/// <summary>One folded failure as the delivery log kept it.</summary>
internal sealed record SuppressedFailure(
    long Id, string JobId, string JobName, string? ErrorKind, string? Severity, string? ErrorMessage, DateTimeOffset OccurredAt);
