using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// SIGTERM: after its loop ends, the dispatcher publishes what is due (the alert of a run that ended while the
/// service was stopping) instead of leaving it for the next start.
/// </summary>
public sealed class OutboxDrainTests : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly PublishedEvents _publisher = new();
    private SqliteDatabase _database = null!;
    private SqlOutboxStore _outbox = null!;
    private OutboxDispatcher _dispatcher = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_data.Path, "outbox.db"), [OutboxSchema.Table]);
        await _database.EnsureSchemaAsync(default);
        _outbox = new SqlOutboxStore(_database);
        _dispatcher = new OutboxDispatcher(_outbox, _publisher, Options.Create(new OutboxOptions()), _time, NullLogger<OutboxDispatcher>.Instance);
    }

    public async Task DisposeAsync()
    {
        _dispatcher.Dispose();
        await _database.DisposeAsync();
        _data.Dispose();
    }

    [Fact]
    public async Task Stopping_publishes_every_due_event_before_returning()
    {
        var runIds = Enumerable.Range(0, 12).Select(i => $"run-{i}").ToList();
        foreach (var runId in runIds)
        {
            await StoreAsync(Recovered(runId));
        }

        await _dispatcher.StopAsync(CancellationToken.None);

        // Twelve: more than one claim batch of ten.
        Assert.Equal(runIds, _publisher.Events.Select(e => e.RunId));
        Assert.Equal(0, await _outbox.CountPendingAsync(default));
    }

    [Fact]
    public async Task Stopping_after_the_drain_deadline_leaves_the_events_in_the_outbox()
    {
        await StoreAsync(Recovered("run-late"));

        await _dispatcher.StopAsync(new CancellationToken(canceled: true));

        Assert.Empty(_publisher.Events);
        Assert.Equal(1, await _outbox.CountPendingAsync(default));
    }

    private JobRecovered Recovered(string runId) =>
        new(Guid.NewGuid().ToString(), _time.GetUtcNow(), "pool-stats", "Pool stats", runId, "host", _time.GetUtcNow(), 1);

    private Task StoreAsync(IJobEvent jobEvent) => _outbox.AddAsync(_dispatcher.ToMessage(jobEvent), default);

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
