namespace SurgiCase.NotificationService.Storage;

/// <summary>What claiming an event found.</summary>
internal enum ClaimOutcome
{
    /// <summary>This caller now owns the delivery and must send it.</summary>
    Claimed,

    /// <summary>Delivered (or suppressed) before: nothing to send, the message can be deleted.</summary>
    AlreadyDelivered,

    /// <summary>Another replica holds a live claim: leave the message for a later retry.</summary>
    InProgress,

    /// <summary>The event id was logged before with different content: a reused id, poison, never sent as the original.</summary>
    ContentConflict,
}

/// <param name="Owner">This claim's token: the delivery log's updates of the row are fenced on it.</param>
/// <param name="InDoubt">
/// The claim was taken over from an owner that had started sending and never recorded the outcome: the alert may
/// already have been delivered, so a resend says so.
/// </param>
/// <param name="InFlight">
/// The row was inserted already in flight (<see cref="ClaimRequest.InFlight"/>): nothing needs writing before the send.
/// </param>
internal sealed record ClaimResult(ClaimOutcome Outcome, long Id, int Attempts, string Status, string Owner = "", bool InDoubt = false, bool InFlight = false);

/// <summary>The rendered alert as the delivery log keeps it (the preview, the recipients, the notes).</summary>
internal sealed record RenderedRecord(string Subject, IReadOnlyList<string> Recipients, string? Note, string Html, string Text);

/// <summary>The facts of an event written when it is claimed.</summary>
/// <param name="Severity">critical, warning or resolved (see <c>AlertSeverities</c>).</param>
/// <param name="ErrorMessage">The failure's message (capped), so a digest of folded repeats can name the last error.</param>
/// <param name="ContentHash">
/// The hash of the event's canonical content (<c>EventContentHash</c>); null for rows the service makes itself
/// (digests, webhook posts), which are not checked.
/// </param>
/// <param name="InFlight">
/// The claim is taken to send at once (issue 19.7): a new row starts in flight, so that no write has to come between the
/// claim and the send (the lease covers the whole delivery, <c>ClaimLeaseBudget</c>). The cost: should the owner die
/// before it calls a channel, the takeover is in doubt and its email carries the possible-repeat note. A takeover
/// starts out of flight as before.
/// </param>
internal sealed record ClaimRequest(
    string EventId, string MessageType, string JobId, string JobName, string? ErrorKind, DateTimeOffset OccurredAt,
    string? Severity = null, string? ErrorMessage = null, string? ContentHash = null, bool InFlight = false);
