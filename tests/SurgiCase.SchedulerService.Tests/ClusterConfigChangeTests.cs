using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Scheduling;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The clustered Quartz store outlives the configuration: a restart with a changed cron or time zone reschedules the
/// stored trigger, an unchanged one is left alone, and a disabled or removed job loses its trigger.
/// </summary>
public sealed class ClusterConfigChangeTests : IAsyncLifetime
{
    private const string JobId = "config-probe";
    private const string RemovedJobId = "removed-probe";
    private const string CronA = "0 0 9 ? * MON";
    private const string CronB = "0 30 9 ? * MON";
    private readonly PostgresTestDatabase _database = new();
    private readonly SimulatorHost _simulator = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _simulator.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _database.DisposeAsync();
    }

    private SchedulerApp NewApp(IEnumerable<KeyValuePair<string, string?>> jobs) =>
        new(_simulator.BaseAddress, jobs.Concat(ClusterSettings.For(_database)), publisher: new RecordingPublisher());

    private static async Task<ICronTrigger?> StoredTriggerAsync(SchedulerApp app, string jobId)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetRequiredScheduler(SchedulerTopology.ClusteredSchedulerName);
        return (ICronTrigger?)await scheduler.GetTrigger(new TriggerKey(jobId));
    }

    private static async Task<bool> StoredJobExistsAsync(SchedulerApp app, string jobId)
    {
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetRequiredScheduler(SchedulerTopology.ClusteredSchedulerName);
        return await scheduler.Exists(new JobKey(jobId));
    }

    [Fact]
    public async Task Restarts_bring_the_stored_trigger_in_line_with_the_configuration()
    {
        DateTimeOffset storedSince;
        using (var app = NewApp(SchedulerApp.Job(7, JobId, "/api/reports/referral", cron: CronA)
                   .Concat(SchedulerApp.Job(8, RemovedJobId, "/api/reports/referral", cron: CronA))))
        {
            using var client = app.CreateOperatorClient();
            var trigger = await StoredTriggerAsync(app, JobId);
            Assert.NotNull(trigger);
            Assert.Equal(CronA, trigger.CronExpressionString);
            Assert.NotNull(await StoredTriggerAsync(app, RemovedJobId));
            storedSince = trigger.StartTimeUtc;
        }

        // Unchanged: the cluster's trigger stands (a starting replica must not reset it).
        using (var app = NewApp(SchedulerApp.Job(7, JobId, "/api/reports/referral", cron: CronA)
                   .Concat(SchedulerApp.Job(8, RemovedJobId, "/api/reports/referral", cron: CronA))))
        {
            using var client = app.CreateOperatorClient();
            Assert.Equal(storedSince, (await StoredTriggerAsync(app, JobId))!.StartTimeUtc);
        }

        // Cron and time zone changed, the other job removed from the configuration.
        using (var app = NewApp(SchedulerApp.Job(7, JobId, "/api/reports/referral", cron: CronB)
                   .Append(new("Scheduler:Jobs:7:timeZone", "Europe/Berlin"))))
        {
            using var client = app.CreateOperatorClient();
            var trigger = await StoredTriggerAsync(app, JobId);
            Assert.NotNull(trigger);
            Assert.Equal(CronB, trigger.CronExpressionString);
            Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").BaseUtcOffset, trigger.TimeZone.BaseUtcOffset);
            Assert.Null(await StoredTriggerAsync(app, RemovedJobId));
            Assert.False(await StoredJobExistsAsync(app, RemovedJobId));

            // What the API shows is what the store will fire.
            var details = await client.GetFromJsonAsync<JobDetails>($"/jobs/{JobId}");
            Assert.Equal(trigger.NextFireTimeUtc, details!.NextRunAt);
        }

        // Disabled: no trigger, no next run, and no manual run either.
        using (var app = NewApp(SchedulerApp.Job(7, JobId, "/api/reports/referral", cron: CronB, enabled: false)))
        {
            using var client = app.CreateOperatorClient();
            Assert.Null(await StoredTriggerAsync(app, JobId));
            Assert.False(await StoredJobExistsAsync(app, JobId));
            var details = await client.GetFromJsonAsync<JobDetails>($"/jobs/{JobId}");
            Assert.False(details!.Enabled);
            Assert.Null(details.NextRunAt);
            using var run = await client.PostAsync($"/jobs/{JobId}/run", null);
            Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
            Assert.Empty(await client.GetFromJsonAsync<List<Storage.RunRecord>>($"/jobs/{JobId}/runs") ?? []);
        }
    }
}
