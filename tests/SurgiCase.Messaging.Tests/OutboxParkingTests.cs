using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.Messaging.Tests;

/// <summary>A row that can never be published is parked after its attempts, or at once when too large, and health says so.</summary>
public sealed class OutboxParkingTests : IAsyncLifetime
{
    private readonly RefusingPublisher _publisher = new();
    private readonly OutboxBed _bed;

    public OutboxParkingTests() => _bed = new OutboxBed(_publisher, new OutboxOptions { MaxAttempts = 3, MaxBodyBytes = 4_096 });

    public Task InitializeAsync() => _bed.InitializeAsync();

    public Task DisposeAsync() => _bed.DisposeAsync();

    [Fact]
    public async Task A_row_the_transport_always_refuses_is_parked_after_its_attempts_and_never_tried_again()
    {
        _publisher.Refuse = true;
        await _bed.Dispatcher.EnqueueAsync([Recovered("run-1")], default);
        for (var i = 0; i < 10; i++)
        {
            _bed.Time.Advance(TimeSpan.FromMinutes(2));
            await _bed.Dispatcher.StopAsync(CancellationToken.None);
        }

        Assert.Equal(3, _publisher.Attempts);
        Assert.Equal(new OutboxStats(0, null, 1), await _bed.Outbox.GetStatsAsync(default));
        var row = Assert.Single(await _bed.Outbox.ListForRunAsync("run-1", default));
        Assert.Contains("attempt 3 of 3", row.LastError, StringComparison.Ordinal);
        Assert.Null(await _bed.Outbox.NextDueAsync(default));
    }

    [Fact]
    public async Task A_row_larger_than_the_transport_takes_is_parked_without_an_attempt_and_health_says_so()
    {
        var oversized = new JobPartiallyFailed(Guid.NewGuid().ToString(), _bed.Time.GetUtcNow(), "weekly-provider-payment-report",
            "Weekly Provider Payment Report", "run-big", "host", 40, 5000, 5040, [.. Enumerable.Repeat(new string('x', 200), 50)], []);
        await _bed.Dispatcher.EnqueueAsync([oversized, Recovered("run-small")], default);

        Assert.Equal(1, _publisher.Attempts);
        var parked = Assert.Single(await _bed.Outbox.ListForRunAsync("run-big", default));
        Assert.Contains("over the transport's limit of 4096", parked.LastError, StringComparison.Ordinal);
        Assert.Null(parked.PublishedAt);

        var health = await new OutboxHealthCheck(_bed.Outbox, _bed.Metrics, Options.Create(_bed.Options)).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Degraded, health.Status);
        Assert.StartsWith("1 event(s) parked in the outbox", health.Description, StringComparison.Ordinal);
        Assert.Equal(1, health.Data["parked"]);
        Assert.Equal(1, _bed.Metrics.Last.Parked);
    }

    [Fact]
    public async Task An_old_pending_row_degrades_health_and_a_fresh_one_does_not()
    {
        _publisher.Refuse = true;
        await _bed.Dispatcher.EnqueueAsync([Recovered("run-waiting")], default);
        var check = new OutboxHealthCheck(_bed.Outbox, _bed.Metrics, Options.Create(_bed.Options));

        var fresh = await check.CheckHealthAsync(new HealthCheckContext());
        _bed.Time.Advance(TimeSpan.FromMinutes(6));
        var old = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, fresh.Status);
        Assert.Equal(HealthStatus.Degraded, old.Status);
        Assert.Equal(360L, old.Data["oldestPendingAgeSeconds"]);
    }

    private JobRecovered Recovered(string runId) => _bed.Recovered(runId);

    private sealed class RefusingPublisher : IJobEventPublisher
    {
        private int _attempts;

        public bool Refuse { get; set; }

        public int Attempts => _attempts;

        public Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _attempts);
            return Refuse ? throw new HttpRequestException("SQS refused") : Task.FromResult(Guid.NewGuid().ToString());
        }
    }
}
