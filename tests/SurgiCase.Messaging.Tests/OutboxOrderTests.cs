using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// After an outage a job's events leave the outbox in the order they were stored: an older row that has backed off
/// longer is not overtaken by a newer row of the same job whose first retry comes sooner (chaos scenario b found that).
/// </summary>
public abstract class OutboxOrderTests : IAsyncLifetime
{
    private readonly RecordingPublisher _publisher = new();
    private readonly OutboxBed _bed;

    protected OutboxOrderTests(PostgresTestDatabase? postgres) => _bed = new OutboxBed(_publisher, new OutboxOptions(), postgres);

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_newer_event_of_a_job_waits_for_the_older_one_that_backed_off_longer()
    {
        _publisher.Refuse = true;
        await _bed.Dispatcher.EnqueueAsync([_bed.Recovered("run-old")], default);
        for (var i = 0; i < 5; i++)
        {
            // Six refused attempts: the old row's next one is about half a minute away (1 s doubled, with jitter).
            _bed.Time.Advance(TimeSpan.FromMinutes(2));
            await _bed.Dispatcher.StopAsync(CancellationToken.None);
        }

        // A second job's row is not held by the first job's.
        var other = _bed.Recovered("run-other") with { JobId = "database-backup" };
        await _bed.Dispatcher.EnqueueAsync([_bed.Recovered("run-new"), other], default);
        var old = Assert.Single(await _bed.Outbox.ListForRunAsync("run-old", default));
        Assert.Equal(6, old.Attempts);

        // SQS is back. The new rows are due again within seconds; the old one is not yet.
        _publisher.Refuse = false;
        _bed.Time.Advance(TimeSpan.FromSeconds(5));
        await _bed.Dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(["run-other"], _publisher.Published);

        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        await _bed.Dispatcher.StopAsync(CancellationToken.None);
        Assert.Equal(["run-other", "run-old", "run-new"], _publisher.Published);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_keep_a_jobs_order_and_publish_each_event_once()
    {
        var replica = _bed.NewDispatcher();
        _publisher.Refuse = true;
        await _bed.Dispatcher.EnqueueAsync([_bed.Recovered("run-old")], default);
        for (var i = 0; i < 5; i++)
        {
            _bed.Time.Advance(TimeSpan.FromMinutes(2));
            await Task.WhenAll(_bed.Dispatcher.StopAsync(CancellationToken.None), replica.StopAsync(CancellationToken.None));
        }

        var other = _bed.Recovered("run-other") with { JobId = "database-backup" };
        await replica.EnqueueAsync([_bed.Recovered("run-new"), other], default);

        // SQS is back; both replicas look at once, again and again: the old row still goes first, and nothing twice.
        _publisher.Refuse = false;
        _bed.Time.Advance(TimeSpan.FromSeconds(5));
        await Task.WhenAll(_bed.Dispatcher.StopAsync(CancellationToken.None), replica.StopAsync(CancellationToken.None));
        Assert.Equal(["run-other"], _publisher.Published);

        _bed.Time.Advance(TimeSpan.FromMinutes(2));
        await Task.WhenAll(_bed.Dispatcher.StopAsync(CancellationToken.None), replica.StopAsync(CancellationToken.None));
        await Task.WhenAll(_bed.Dispatcher.StopAsync(CancellationToken.None), replica.StopAsync(CancellationToken.None));
        Assert.Equal(["run-other", "run-old", "run-new"], _publisher.Published);
        Assert.Equal(0, await _bed.Outbox.CountPendingAsync(default));
    }

    private sealed class RecordingPublisher : IJobEventPublisher
    {
        private readonly List<string> _published = [];

        public bool Refuse { get; set; }

        public IReadOnlyList<string> Published
        {
            get
            {
                lock (_published)
                {
                    return [.. _published];
                }
            }
        }

        public Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default)
        {
            if (Refuse)
            {
                throw new HttpRequestException("SQS refused");
            }

            lock (_published)
            {
                _published.Add(jobEvent.RunId);
            }

            return Task.FromResult(Guid.NewGuid().ToString());
        }
    }
}

public sealed class OutboxOrderSqliteTests() : OutboxOrderTests(postgres: null);

public sealed class OutboxOrderPostgresTests() : OutboxOrderTests(new PostgresTestDatabase());
