using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Issue 12.6: the scheduler's retention sweep deletes published outbox rows after <c>Scheduler:Outbox:PublishedRetention</c>
/// (7 days), parked ones only after <c>ParkedRetention</c> (90 days, they are evidence), never pending ones, and operators'
/// pause/resume records after <c>Scheduler:JobActionRetention</c> (365 days), on SQLite and PostgreSQL.
/// </summary>
public abstract class RetentionSweepTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private readonly SimulatorHost _simulator = new();

    protected override Task InitializeTestAsync() => _simulator.InitializeAsync();

    protected override Task DisposeTestAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task Old_outbox_rows_and_job_actions_go_young_ones_and_pending_ones_stay()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, Storage, publisher: new RecordingPublisher());
        var sweep = app.Services.GetRequiredService<RetentionSweep>();
        var now = DateTimeOffset.UtcNow;
        await using (var db = await app.Services.GetRequiredService<SqlDatabase>().OpenAsync(CancellationToken.None))
        {
            await AddOutboxRowAsync(db, "published-8d", now.AddDays(-8), published: now.AddDays(-8));
            await AddOutboxRowAsync(db, "published-6d", now.AddDays(-6), published: now.AddDays(-6));
            await AddOutboxRowAsync(db, "parked-91d", now.AddDays(-91), parked: now.AddDays(-91));
            await AddOutboxRowAsync(db, "parked-30d", now.AddDays(-30), parked: now.AddDays(-30));
            await AddOutboxRowAsync(db, "pending-200d", now.AddDays(-200));
            await AddJobActionAsync(db, "action-400d", now.AddDays(-400));
            await AddJobActionAsync(db, "action-10d", now.AddDays(-10));
        }

        var changed = await sweep.SweepOnceAsync(CancellationToken.None);

        Assert.Equal((2, 1), (changed["outbox"], changed["job-actions"]));
        await using var check = await app.Services.GetRequiredService<SqlDatabase>().OpenAsync(CancellationToken.None);
        Assert.Equal(["parked-30d", "pending-200d", "published-6d"],
            (await check.QueryAsync<string>("SELECT event_id FROM outbox WHERE event_id LIKE '%d' ORDER BY event_id")).ToList());
        Assert.Equal(["action-10d"], (await check.QueryAsync<string>("SELECT action_id FROM job_actions WHERE action_id LIKE 'action-%'")).ToList());
    }

    [Fact]
    public async Task The_sweep_runs_at_start_and_then_every_interval_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var step = new CountingStep();
        using var sweep = new RetentionSweep([step], Options.Create(new RetentionOptions { SweepInterval = TimeSpan.FromHours(1) }), time,
            NullLogger<RetentionSweep>.Instance);

        await sweep.StartAsync(CancellationToken.None);
        await Until(() => step.Sweeps == 1);
        time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(1, step.Sweeps);
        time.Advance(TimeSpan.FromMinutes(1));
        await Until(() => step.Sweeps == 2);
        await sweep.StopAsync(CancellationToken.None);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static Task AddOutboxRowAsync(System.Data.Common.DbConnection db, string eventId, DateTimeOffset created,
        DateTimeOffset? published = null, DateTimeOffset? parked = null) =>
        db.ExecuteAsync(
            """
            INSERT INTO outbox (event_id, run_id, job_id, message_type, body, created_at, attempts, next_attempt_at, published_at, parked_at)
            VALUES (@EventId, 'run', 'job', 'job-failed.v1', '{}', @Created, 1, @Created, @Published, @Parked)
            """,
            new { EventId = eventId, Created = SqlTime.Format(created), Published = SqlTime.Format(published), Parked = SqlTime.Format(parked) });

    private static Task AddJobActionAsync(System.Data.Common.DbConnection db, string actionId, DateTimeOffset at) =>
        db.ExecuteAsync("INSERT INTO job_actions (action_id, job_id, action, actor, at) VALUES (@ActionId, 'job', 'pause', 'operator', @At)",
            new { ActionId = actionId, At = SqlTime.Format(at) });

    private sealed class CountingStep : IRetentionStep
    {
        private int _sweeps;

        public int Sweeps => Volatile.Read(ref _sweeps);

        public string Name => "counting";

        public Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _sweeps);
            return Task.FromResult(0);
        }
    }
}

public sealed class RetentionSweepSqliteTests() : RetentionSweepTests(database: null);

public sealed class RetentionSweepPostgresTests() : RetentionSweepTests(new PostgresTestDatabase());
