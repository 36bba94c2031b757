namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Keeps a message in the queue (an alert not emailed, or emailed with its post beside the email failed). Carries the
/// event id and a reason without any secret or body.
/// </summary>
internal sealed class AlertNotEmailedException(string eventId, string reason)
    : Exception($"Event {eventId} not emailed: {reason}.")
{
    public string EventId { get; } = eventId;
}
