using System.Data.Common;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Delivery;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// Whether the delivery log takes writes. Without a claim in the log no alert is sent (that is what keeps it to one
/// email per event), so a log that cannot be written (read-only file, full disk, database down) stops every alert:
/// the messages stay in the queue and are retried, and after <c>Messaging:MaxReceiveCount</c> receives they go to
/// the DLQ. Unhealthy from the first failed write until the next event gets through the log, naming the error.
/// </summary>
internal sealed class DeliveryLogHealth(TimeProvider time) : LatchedFailureHealthCheck(
    time,
    "The delivery log takes writes.",
    "The delivery log cannot be written: no alert is sent until it can (messages wait in the queue, then the DLQ).")
{
    public void Written() => Clear();

    public void Failed(string eventId, DbException error) => Latch(eventId, ControlCharacters.Strip(error.Message));
}
