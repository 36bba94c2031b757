using System.Diagnostics;
using System.Threading.Channels;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

/// <summary>One call of the handler, with the span that was current inside it.</summary>
public sealed record HandledEvent(IJobEvent Event, DeliveryContext Delivery, ActivityContext? Span);

/// <summary>What the test handler saw, and what it should do (a singleton shared with the test).</summary>
public sealed class HandlerProbe
{
    private int _calls;

    public Channel<HandledEvent> Handled { get; } = Channel.CreateUnbounded<HandledEvent>();

    /// <summary>Runs inside the handler; throw to make it fail, await to make it slow.</summary>
    public Func<IJobEvent, CancellationToken, Task> Behavior { get; set; } = (_, _) => Task.CompletedTask;

    public int Calls => Volatile.Read(ref _calls);

    internal async Task HandleAsync(IJobEvent jobEvent, DeliveryContext delivery, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        Handled.Writer.TryWrite(new HandledEvent(jobEvent, delivery, Activity.Current?.Context));
        await Behavior(jobEvent, cancellationToken);
    }

    public async Task<HandledEvent> NextAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        return await Handled.Reader.ReadAsync(cts.Token);
    }
}

internal sealed class ProbeHandler(HandlerProbe probe) : IJobEventHandler
{
    public Task HandleAsync(IJobEvent jobEvent, DeliveryContext delivery, CancellationToken cancellationToken) =>
        probe.HandleAsync(jobEvent, delivery, cancellationToken);
}
