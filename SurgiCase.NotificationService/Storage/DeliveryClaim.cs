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
internal sealed record ClaimResult(ClaimOutcome Outcome, long Id, int Attempts, string Status, string Owner = "", bool InDoubt = false);

/// <summary>The facts of an event written when it is claimed.</summary>
/// <param name="Severity">critical, warning or resolved (see <c>AlertSeverities</c>).</param>
/// <param name="ErrorMessage">The failure's message (capped), so a digest of folded repeats can name the last error.</param>
/// <param name="ContentHash">
/// The hash of the event's canonical content (<c>EventContentHash</c>); null for rows the service makes itself
/// (digests, webhook posts), which are not checked.
/// </param>
internal sealed record ClaimRequest(
    string EventId, string MessageType, string JobId, string JobName, string? ErrorKind, DateTimeOffset OccurredAt,
    string? Severity = null, string? ErrorMessage = null, string? ContentHash = null);
