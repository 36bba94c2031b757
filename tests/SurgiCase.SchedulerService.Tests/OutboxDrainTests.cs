using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Runs;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// SIGTERM: after its loop ends, the dispatcher publishes what is due (the alert of a run that ended while the
/// service was stopping) instead of leaving it for the next start.
/// </summary>
public sealed class OutboxDrainTests : IAsyncLifetime
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("surgicase-outbox-drain-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingPublisher _publisher = new();
    private SqliteDatabase _database = null!;
    private SqlOutboxStore _outbox = null!;
    private OutboxDispatcher _dispatcher = null!;

    public async Task InitializeAsync()
    {
        var options = Options.Create(new SchedulerOptions { DataDirectory = _data.FullName });
        _database = new SqliteDatabase(options, new HostingEnvironment { ContentRootPath = _data.FullName });
        await _database.EnsureSchemaAsync(default);
        _outbox = new SqlOutboxStore(_database);
        _dispatcher = new OutboxDispatcher(_outbox, _publisher, options, _time, NullLogger<OutboxDispatcher>.Instance);
    }

    public Task DisposeAsync()
    {
        _dispatcher.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _data.Delete(recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Stopping_publishes_every_due_event_before_returning()
    {
        var runIds = Enumerable.Range(0, 12).Select(i => $"run-{i}").ToList();
        foreach (var runId in runIds)
        {
            await StoreAsync(new JobRecovered(Guid.NewGuid().ToString(), _time.GetUtcNow(), "pool-stats", "Pool stats", runId, "host", _time.GetUtcNow(), 1));
        }

        await _dispatcher.StopAsync(CancellationToken.None);

        // Twelve: more than one claim batch of ten.
        Assert.Equal(runIds, _publisher.Published.Select(p => p.Event.RunId));
        Assert.Equal(0, await _outbox.CountPendingAsync(default));
    }

    [Fact]
    public async Task Stopping_after_the_drain_deadline_leaves_the_events_in_the_outbox()
    {
        await StoreAsync(new JobRecovered(Guid.NewGuid().ToString(), _time.GetUtcNow(), "pool-stats", "Pool stats", "run-late", "host", _time.GetUtcNow(), 1));

        await _dispatcher.StopAsync(new CancellationToken(canceled: true));

        Assert.Empty(_publisher.Published);
        Assert.Equal(1, await _outbox.CountPendingAsync(default));
    }

    private async Task StoreAsync(IJobEvent jobEvent)
    {
        await using var connection = await _database.OpenAsync(default);
        await using var transaction = await connection.BeginTransactionAsync();
        await SqlOutboxStore.InsertAsync(connection, transaction, _dispatcher.ToMessage(jobEvent), default);
        await transaction.CommitAsync();
    }
}
