using System.Data.Common;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Delivery;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// Whether the delivery log takes writes. Without a claim in the log no alert is sent (that is what keeps it to one
/// email per event), so a log that cannot be written (read-only file, full disk, database down) stops every alert:
/// the messages in hand fail and are retried. While it is latched, <see cref="DeliveryLogReceiveGate"/> stops the consumer
/// receiving, so the other messages wait in the queue with their receive counts unspent instead of going to the DLQ.
/// Unhealthy from the first failed write until a write gets through the log (an event or the gate's probe), naming the error.
/// </summary>
internal sealed class DeliveryLogHealth(TimeProvider time) : LatchedFailureHealthCheck(
    time,
    "The delivery log takes writes.",
    "The delivery log cannot be written: no alert is sent until it can; the consumer has stopped receiving (messages wait in the queue).")
{
    public void Written() => Clear();

    public void Failed(string eventId, DbException error) => Latch(eventId, ControlCharacters.Strip(error.Message));
}
