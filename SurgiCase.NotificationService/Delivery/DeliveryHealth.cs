namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Whether alerts are getting through. Unhealthy from the moment an alert could not be delivered on any
/// channel until the next alert gets through, so a dashboard shows a silent failure as red.
/// </summary>
internal sealed class DeliveryHealth(TimeProvider time)
    : LatchedFailureHealthCheck(time, "Alerts are being delivered.", "An alert could not be delivered on any channel.")
{
    public void Delivered() => Clear();

    public void AllChannelsFailed(string eventId, string error) => Latch(eventId, error);
}
