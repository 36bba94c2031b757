namespace SurgiCase.NotificationService.Delivery;

/// <summary>Values of the delivery log's <c>status</c> column.</summary>
internal static class DeliveryStatus
{
    /// <summary>Claimed by a replica that is sending it now (or died while sending; see the claim lease).</summary>
    public const string Sending = "sending";

    /// <summary>SES accepted it.</summary>
    public const string Sent = "sent";

    /// <summary>SES would not take it; the fallback channel did.</summary>
    public const string FallbackSent = "fallback-sent";

    /// <summary>Every channel failed; the message stays in the queue and is retried.</summary>
    public const string Failed = "failed";

    /// <summary>A repeat of an alert already sent inside the storm window; counted, not sent.</summary>
    public const string Suppressed = "suppressed";

    public static bool IsFinal(string status) => status is Sent or FallbackSent or Suppressed;
}

/// <summary>Delivery channels.</summary>
internal static class DeliveryChannel
{
    public const string Email = "email";
    public const string Webhook = "webhook";
}

/// <summary>One row of the delivery log as the API shows it (without the rendered bodies).</summary>
internal sealed record NotificationRecord(
    long Id,
    string EventId,
    string MessageType,
    string JobId,
    string JobName,
    string? ErrorKind,
    string? Subject,
    string Status,
    string? Channel,
    IReadOnlyList<string> Recipients,
    string? SesMessageId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    string? LastError,
    string? Note);

/// <summary>What claiming an event found.</summary>
internal enum ClaimOutcome
{
    /// <summary>This caller now owns the delivery and must send it.</summary>
    Claimed,

    /// <summary>Delivered (or suppressed) before: nothing to send, the message can be deleted.</summary>
    AlreadyDelivered,

    /// <summary>Another replica holds a live claim: leave the message for a later retry.</summary>
    InProgress,
}

internal sealed record ClaimResult(ClaimOutcome Outcome, long Id, int Attempts, string Status);

/// <summary>The facts of an event written when it is claimed.</summary>
internal sealed record ClaimRequest(string EventId, string MessageType, string JobId, string JobName, string? ErrorKind, DateTimeOffset OccurredAt);
