using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Outbox;
using SurgiCase.SchedulerService.Scheduling;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Catch-up after downtime across a fire time, and the dead man's switch for a critical job.</summary>
public abstract class MissedRunTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private const string JobId = "monday-report";
    private static readonly DateTimeOffset MondayMorning = new(2025, 10, 20, 8, 58, 0, TimeSpan.Zero);
    private readonly SimulatorHost _simulator = new();
    private readonly string _dataDirectory = SchedulerApp.NewDataDirectory();

    protected override Task InitializeTestAsync() => _simulator.InitializeAsync();

    protected override async Task DisposeTestAsync()
    {
        await _simulator.DisposeAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private SchedulerApp NewApp(FakeTimeProvider time, RecordingPublisher publisher) => new(
        _simulator.BaseAddress,
        SchedulerApp.Job(7, JobId, "/api/reports/provider-payment", enabled: true, cron: "0 0 9 ? * MON").Concat(
            new Dictionary<string, string?> { ["Scheduler:MissedRunGrace"] = "00:15:00", ["Scheduler:WatchdogInterval"] = "00:01:00" }).Concat(Storage),
        services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(time);
        },
        publisher,
        _dataDirectory);

    [Fact]
    public async Task A_fire_time_missed_while_stopped_runs_once_as_catch_up_on_start()
    {
        using (var first = NewApp(new FakeTimeProvider(MondayMorning), new RecordingPublisher()))
        {
            using var client = first.CreateOperatorClient();
            Assert.Empty((await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs"))!);
        }

        // Down from 08:58 to 09:40: the 09:00 fire time passed with no scheduler. Two restarts must catch up once.
        for (var restart = 0; restart < 2; restart++)
        {
            using var app = NewApp(new FakeTimeProvider(MondayMorning.AddMinutes(42 + restart)), new RecordingPublisher());
            using var client = app.CreateOperatorClient();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            List<RunRecord> runs;
            do
            {
                Assert.True(DateTime.UtcNow < deadline, "no catch-up run");
                await Task.Delay(20);
                runs = (await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs"))!;
            }
            while (!runs.Any(r => RunOutcomes.IsFinished(r.Outcome)));

            Assert.True(runs.Count == 1, string.Join("; ", runs.Select(r => $"{r.Trigger} {r.Outcome} {r.ErrorKind}")));
            var run = runs[0];
            Assert.Equal(Triggers.CatchUp, run.Trigger);
            Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        }

        // The catch-up stands for the 09:00 fire time and says so: the key the scheduled run would have sent.
        Assert.Equal([$"{JobId}/fire/2025-10-20T09:00:00Z"], await _simulator.IdempotencyKeysAsync());
    }

    [Fact]
    public async Task A_paused_critical_job_past_its_grace_publishes_one_MissedRun()
    {
        var time = new FakeTimeProvider(MondayMorning);
        var publisher = new RecordingPublisher();
        using var app = NewApp(time, publisher);
        using var client = app.CreateOperatorClient();
        (await client.PostAsync($"/jobs/{JobId}/pause", null)).EnsureSuccessStatusCode();

        // 09:00 passes (paused: no run), then the 15-minute grace; the watchdog looks every minute.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (publisher.Published.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "no MissedRun published");
            Assert.True(time.GetUtcNow() < MondayMorning.AddHours(1), "MissedRun not published within the hour");
            time.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(20);
        }

        Assert.True(time.GetUtcNow() >= MondayMorning.AddMinutes(17), "alerted before the grace had passed");
        // Forty minutes on, the watchdog looks again: called here, so it has certainly looked at the later time, and
        // anything it recorded is published once the outbox has nothing pending. Only then is one event an answer.
        time.Advance(TimeSpan.FromMinutes(40));
        await app.Services.GetServices<IHostedService>().OfType<MissedRunWatchdog>().Single().CheckAsync(CancellationToken.None);
        var outbox = app.Services.GetRequiredService<IOutboxStore>();
        var drained = DateTime.UtcNow.AddSeconds(30);
        while (await outbox.CountPendingAsync(CancellationToken.None) > 0)
        {
            Assert.True(DateTime.UtcNow < drained, "the outbox did not drain");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var missed = Assert.IsType<JobFailed>(Assert.Single(publisher.Published).Event);
        Assert.Equal(ErrorKinds.MissedRun, missed.ErrorKind);
        Assert.Equal(JobId, missed.JobId);
        Assert.Contains("paused by operator", missed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("2025-10-20T09:00:00.0000000+00:00", missed.Details!["expectedAt"]);

        using var health = await client.GetAsync("/health");
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", body.RootElement.GetProperty("status").GetString());
        Assert.Contains(JobId, body.RootElement.GetProperty("checks").GetProperty("scheduler-jobs").GetProperty("description").GetString());
    }
}

public sealed class MissedRunSqliteTests() : MissedRunTests(database: null);

/// <summary>Catch-up and the watchdog in cluster mode: fire times and history in PostgreSQL, Quartz clustered on it.</summary>
public sealed class MissedRunPostgresTests() : MissedRunTests(new PostgresTestDatabase());
