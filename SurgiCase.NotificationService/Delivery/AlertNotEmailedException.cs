namespace SurgiCase.NotificationService.Delivery;

/// <summary>Keeps a message in the queue. Carries the event id and a reason without any secret or body.</summary>
internal sealed class AlertNotEmailedException(string eventId, string reason)
    : Exception($"Event {eventId} not emailed: {reason}.")
{
    public string EventId { get; } = eventId;
}
