using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Pause and resume: operator only, audited with who and when, persisted across a restart, obeyed by the schedule.</summary>
public abstract class PauseResumeTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private const string JobId = "pause-probe";
    private readonly SimulatorHost _simulator = new();
    private readonly string _dataDirectory = SchedulerApp.NewDataDirectory();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 8, 0, 0, TimeSpan.Zero));

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

    // Unscheduled, the job only runs by hand (a disabled job could not be run by hand at all).
    private SchedulerApp NewApp(bool scheduled = false) => new(
        _simulator.BaseAddress,
        SchedulerApp.Job(7, JobId, "/api/reports/referral", cron: scheduled ? "0/10 * * * * ?" : SchedulerApp.NeverCron).Concat(Storage),
        services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_time);
        },
        new RecordingPublisher(),
        _dataDirectory);

    [Fact]
    public async Task Pause_is_recorded_with_who_and_when_survives_a_restart_and_resume_clears_it()
    {
        using (var app = NewApp())
        {
            using var anonymous = app.CreateClient();
            using var refused = await anonymous.PostAsync($"/jobs/{JobId}/pause", null);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

            using var client = app.CreateOperatorClient();
            using var paused = await client.PostAsync($"/jobs/{JobId}/pause", null);
            paused.EnsureSuccessStatusCode();
            var state = await paused.Content.ReadFromJsonAsync<PauseState>();
            Assert.True(state!.Paused);
            Assert.True(state.Changed);
            Assert.Contains("manual run", state.Note, StringComparison.Ordinal);

            var again = await (await client.PostAsync($"/jobs/{JobId}/pause", null)).Content.ReadFromJsonAsync<PauseState>();
            Assert.False(again!.Changed);
        }

        using (var app = NewApp())
        {
            using var client = app.CreateOperatorClient();
            var details = await client.GetFromJsonAsync<JobDetails>($"/jobs/{JobId}");
            Assert.True(details!.Paused);
            Assert.Equal("operator", details.PausedBy);
            Assert.Equal(_time.GetUtcNow(), details.PausedAt);
            Assert.Null(details.NextRunAt);
            var action = Assert.Single(details.RecentActions!);
            Assert.Equal(("pause", "operator"), (action.Action, action.Actor));

            // Manual runs still go ahead while paused, and the answer says so.
            using var run = await client.PostAsync($"/jobs/{JobId}/run", null);
            var accepted = await run.Content.ReadFromJsonAsync<RunAccepted>();
            Assert.Contains("paused", accepted!.Note, StringComparison.Ordinal);
            Assert.Equal(RunOutcomes.Succeeded, (await SchedulerApp.WaitFinishedAsync(client, accepted.RunId)).Outcome);

            (await client.PostAsync($"/jobs/{JobId}/resume", null)).EnsureSuccessStatusCode();
            details = await client.GetFromJsonAsync<JobDetails>($"/jobs/{JobId}");
            Assert.False(details!.Paused);
            Assert.Null(details.PausedBy);
            Assert.Equal(["resume", "pause"], details.RecentActions!.Select(a => a.Action));
        }
    }

    [Fact]
    public async Task A_paused_job_does_not_fire_on_schedule_and_fires_again_after_resume()
    {
        using var app = NewApp(scheduled: true);
        using var client = app.CreateOperatorClient();
        (await client.PostAsync($"/jobs/{JobId}/pause", null)).EnsureSuccessStatusCode();

        // Fire times pass on the fake clock while paused; Quartz fires them (the stored last fire time moves) but no run starts.
        var states = app.Services.GetRequiredService<IJobStateStore>();
        var start = _time.GetUtcNow();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await states.GetAsync(JobId, default))?.LastScheduledFire is not { } fired || fired < start.AddSeconds(30))
        {
            Assert.True(DateTime.UtcNow < deadline, "Quartz did not fire the paused job's trigger");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }

        var runs = await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs?limit=50");
        // A fire at the very start (08:00:00, before the pause) may have run; none after it.
        Assert.DoesNotContain(runs!, r => r.Trigger == Triggers.Schedule && r.QueuedAt > start);

        (await client.PostAsync($"/jobs/{JobId}/resume", null)).EnsureSuccessStatusCode();
        deadline = DateTime.UtcNow.AddSeconds(30);
        while (!runs!.Any(r => r.Trigger == Triggers.Schedule && r.QueuedAt > start && r.Outcome == RunOutcomes.Succeeded))
        {
            Assert.True(DateTime.UtcNow < deadline, "no scheduled run after resume");
            _time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
            runs = await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs?limit=50");
        }
    }
}

public sealed class PauseResumeSqliteTests() : PauseResumeTests(database: null);

/// <summary>The same behaviour in cluster mode: state, audit and history in PostgreSQL, Quartz clustered on it.</summary>
public sealed class PauseResumePostgresTests() : PauseResumeTests(new PostgresTestDatabase());
