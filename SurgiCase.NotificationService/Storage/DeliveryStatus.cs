namespace SurgiCase.NotificationService.Storage;

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
