using System.Collections.Concurrent;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// SIGTERM: after its loop ends, the dispatcher publishes what is due (the alert of a run that ended while the
/// service was stopping) instead of leaving it for the next start.
/// </summary>
public sealed class OutboxDrainTests : IAsyncLifetime
{
    private readonly PublishedEvents _publisher = new();
    private readonly OutboxBed _bed;

    public OutboxDrainTests() => _bed = new OutboxBed(_publisher, new OutboxOptions());

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task Stopping_publishes_every_due_event_before_returning()
    {
        var runIds = Enumerable.Range(0, 12).Select(i => $"run-{i}").ToList();
        foreach (var runId in runIds)
        {
            await StoreAsync(Recovered(runId));
        }

        await _bed.Dispatcher.StopAsync(CancellationToken.None);

        // Twelve: more than one claim batch of ten.
        Assert.Equal(runIds, _publisher.Events.Select(e => e.RunId));
        Assert.Equal(0, await _bed.Outbox.CountPendingAsync(default));
    }

    [Fact]
    public async Task Stopping_after_the_drain_deadline_leaves_the_events_in_the_outbox()
    {
        await StoreAsync(Recovered("run-late"));

        await _bed.Dispatcher.StopAsync(new CancellationToken(canceled: true));

        Assert.Empty(_publisher.Events);
        Assert.Equal(1, await _bed.Outbox.CountPendingAsync(default));
    }

    private JobRecovered Recovered(string runId) => _bed.Recovered(runId);

    private Task StoreAsync(IJobEvent jobEvent) => _bed.Outbox.AddAsync(_bed.Dispatcher.ToMessage(jobEvent), default);

    private sealed class PublishedEvents : IJobEventPublisher
    {
        public ConcurrentQueue<IJobEvent> Events { get; } = new();

        public Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default)
        {
            Events.Enqueue(jobEvent);
            return Task.FromResult(Guid.NewGuid().ToString());
        }
    }
}
