using System.Data.Common;
using SurgiCase.Messaging;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// Closes the queue consumer's receives while the delivery log is known not to take writes (<see cref="DeliveryLogHealth"/>
/// latched on a failed write): every message received then would fail and spend one of its receives toward the DLQ.
/// While closed, each check tries <see cref="DeliveryLogWriteProbe"/>; the first write that succeeds clears the latch
/// and re-opens the gate. While the log is healthy a check costs a lock, no database call.
/// </summary>
internal sealed class DeliveryLogReceiveGate(DeliveryLogHealth health, DeliveryLogWriteProbe probe) : IReceiveGate
{
    public async ValueTask<ReceiveGateState> CheckAsync(CancellationToken cancellationToken)
    {
        if (!health.IsLatched)
        {
            return ReceiveGateState.Open;
        }

        try
        {
            await probe.WriteAsync(cancellationToken);
        }
        catch (DbException e)
        {
            return ReceiveGateState.Closed($"the delivery log cannot be written ({ControlCharacters.Strip(e.Message)})");
        }

        probe.DiscardStaleConnections();
        health.Written();
        return ReceiveGateState.Open;
    }
}
