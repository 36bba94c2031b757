namespace SurgiCase.Messaging;

/// <summary>
/// Asked by the queue consumer before each receive. A closed gate says the handler cannot succeed right now (its store
/// is down, say): the consumer then leaves the messages in the queue, with their receive counts unspent, and asks again
/// after a backoff, instead of spending every message's receives on failures until it lands in the DLQ.
/// </summary>
public interface IReceiveGate
{
    /// <summary>Open, or closed with the reason. Cheap while open: it is asked before every receive.</summary>
    ValueTask<ReceiveGateState> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>Whether the consumer may receive, and if not, why (for the log).</summary>
public sealed record ReceiveGateState(bool IsOpen, string? Reason)
{
    public static ReceiveGateState Open { get; } = new(true, null);

    public static ReceiveGateState Closed(string reason) => new(false, reason);
}

/// <summary>The default gate: always open, for consumers whose handlers have no store to wait for.</summary>
public sealed class AlwaysOpenReceiveGate : IReceiveGate
{
    public ValueTask<ReceiveGateState> CheckAsync(CancellationToken cancellationToken) => ValueTask.FromResult(ReceiveGateState.Open);
}
