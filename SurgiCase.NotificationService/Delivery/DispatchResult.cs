namespace SurgiCase.NotificationService.Delivery;

internal enum DispatchOutcome
{
    /// <summary>SES accepted the email.</summary>
    Sent,

    /// <summary>Email failed; the fallback channel took the alert. The message should still end in the DLQ.</summary>
    FallbackSent,

    /// <summary>Delivered before; nothing was sent.</summary>
    Duplicate,

    /// <summary>Folded into an alert already sent for the same job and error kind.</summary>
    Suppressed,

    /// <summary>Another consumer is delivering it right now.</summary>
    InProgress,

    /// <summary>Every channel failed.</summary>
    Failed,

    /// <summary>The event id was delivered before with different content: poison, nothing was sent.</summary>
    ReusedEventId,
}

/// <param name="PreviousStatus">For <see cref="DispatchOutcome.Duplicate"/>: how the event was delivered before.</param>
internal sealed record DispatchResult(DispatchOutcome Outcome, long NotificationId, string? Error = null, string? PreviousStatus = null);
