namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Keeps a message in the queue after its email went out but its post beside the email failed, so the post is retried
/// (the email is not: its delivery-log row is already sent). Carries the event id and a reason without the URL.
/// </summary>
internal sealed class WebhookPostFailedException(string eventId, string reason)
    : Exception($"Event {eventId} was emailed, but the post beside the email failed: {reason}.")
{
    public string EventId { get; } = eventId;
}
