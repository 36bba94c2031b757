using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The scheduler and the simulator, shared by the classification tests (which run one after another).</summary>
public sealed class ClassificationFixture : SimulatedApiFixture
{
    public const string Payment = "weekly-provider-payment-report";
    public const string TimeoutProbe = "timeout-probe";
    public const string ClosedPortProbe = "closed-port-probe";
    public const string RecoveryProbe = "recovery-probe";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        var closedPort = MotoServer.FreeTcpPort();
        return SchedulerApp.Job(7, TimeoutProbe, "/api/reports/provider-payment", timeoutSeconds: 1)
            .Concat(SchedulerApp.Job(8, ClosedPortProbe, $"http://127.0.0.1:{closedPort}/api/reports/provider-payment"))
            .Concat(SchedulerApp.Job(9, RecoveryProbe, "/api/reports/referral", name: "Weekly Referral Report", displayName: "Referral report"));
    }
}

public sealed class FailureClassificationTests(ClassificationFixture fixture) : IClassFixture<ClassificationFixture>, IAsyncLifetime
{
    private SimulatorHost Simulator => fixture.Simulator;

    private HttpClient Client => fixture.Client;

    public Task InitializeAsync() => Simulator.ClearFaultAsync();

    public Task DisposeAsync() => Simulator.ClearFaultAsync();

    [Fact]
    public async Task Http500_fails_the_run_as_HttpStatus_with_the_seed_wording_and_publishes_JobFailed_in_the_runs_trace()
    {
        await Simulator.SetFaultAsync(new { mode = "error", status = 500 });

        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.Payment);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(ErrorKinds.HttpStatus, run.ErrorKind);
        Assert.Equal("Provider payment report failed with HTTP status 500", run.ErrorMessage);
        Assert.Equal(Triggers.Manual, run.Trigger);
        Assert.Equal("operator", run.RequestedBy);
        Assert.Equal(1, run.Attempts);
        Assert.NotNull(run.StartedAt);
        Assert.NotNull(run.FinishedAt);

        var published = await WaitForEventAsync(runId);
        var failed = Assert.IsType<JobFailed>(published.Event);
        Assert.True(Guid.TryParse(failed.EventId, out _));
        Assert.Equal("Weekly Provider Payment Report", failed.JobName);
        Assert.Equal(ClassificationFixture.Payment, failed.JobId);
        Assert.Equal(Environment.MachineName, failed.Host);
        Assert.Equal(Triggers.Manual, failed.Trigger);
        Assert.Equal(1, failed.Attempt);
        Assert.Equal(ErrorKinds.HttpStatus, failed.ErrorKind);
        Assert.Equal("Provider payment report failed with HTTP status 500", failed.ErrorMessage);
        Assert.Equal("500", failed.Details!["httpStatus"]);
        Assert.EndsWith("/api/reports/provider-payment", failed.Details["url"]);
        Assert.NotNull(failed.Exception);
        Assert.NotEmpty(failed.Troubleshooting!);

        // The publish happened inside the run's span, and the run keeps that trace id.
        Assert.NotNull(run.TraceId);
        Assert.Equal(run.TraceId, published.TraceId);
    }

    [Fact]
    public async Task Slower_than_the_jobs_timeout_is_a_Timeout_named_by_the_timeout()
    {
        await Simulator.SetFaultAsync(new { mode = "slow", delaySeconds = 3, path = "/api/reports/provider-payment" });

        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.TimeoutProbe);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(ErrorKinds.Timeout, run.ErrorKind);
        Assert.Equal("Provider payment report timed out (>1 second)", run.ErrorMessage);
        var failed = Assert.IsType<JobFailed>((await WaitForEventAsync(runId)).Event);
        Assert.Equal(ErrorKinds.Timeout, failed.ErrorKind);
        Assert.Equal(typeof(TimeoutException).FullName, failed.Exception!.Type);
    }

    [Fact]
    public async Task A_reset_connection_is_ConnectionFailed_with_the_check_the_API_step()
    {
        await Simulator.SetFaultAsync(new { mode = "reset" });

        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.Payment);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(ErrorKinds.ConnectionFailed, run.ErrorKind);
        var failed = Assert.IsType<JobFailed>((await WaitForEventAsync(runId)).Event);
        Assert.Equal(ErrorKinds.ConnectionFailed, failed.ErrorKind);
        Assert.Equal("Check if the SurgiCase API server is running", failed.Troubleshooting![0]);
    }

    [Fact]
    public async Task A_refused_connection_is_ConnectionFailed()
    {
        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.ClosedPortProbe);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(ErrorKinds.ConnectionFailed, run.ErrorKind);
        Assert.Equal("Provider payment report failed: could not connect to the SurgiCase API", run.ErrorMessage);
        var failed = Assert.IsType<JobFailed>((await WaitForEventAsync(runId)).Event);
        Assert.Contains("Check if the SurgiCase API server is running", failed.Troubleshooting!);
    }

    [Fact]
    public async Task A_200_reporting_failed_items_is_a_partial_failure()
    {
        await Simulator.SetFaultAsync(new { mode = "partial" });

        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.Payment);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(RunOutcomes.Partial, run.Outcome);
        var partial = Assert.IsType<JobPartiallyFailed>((await WaitForEventAsync(runId)).Event);
        Assert.Equal(40, partial.Succeeded);
        Assert.Equal(3, partial.Failed);
        Assert.Equal(43, partial.Total);
        Assert.Equal(3, partial.FailedItems.Count);
        Assert.Equal("Weekly Provider Payment Report", partial.JobName);
    }

    [Fact]
    public async Task A_healthy_API_means_a_succeeded_run_and_no_event()
    {
        var runId = await fixture.App.RunAsync(Client, ClassificationFixture.Payment);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Null(run.ErrorKind);
        Assert.Empty(fixture.Publisher.ForRun(runId));
    }

    [Fact]
    public async Task A_success_after_failures_publishes_JobRecovered_with_the_failed_runs()
    {
        await Simulator.SetFaultAsync(new { mode = "error", status = 503, path = "/api/reports/referral" });
        var first = await fixture.App.RunAsync(Client, ClassificationFixture.RecoveryProbe);
        await SchedulerApp.WaitFinishedAsync(Client, first);
        var second = await fixture.App.RunAsync(Client, ClassificationFixture.RecoveryProbe);
        await SchedulerApp.WaitFinishedAsync(Client, second);
        await Simulator.ClearFaultAsync();

        var third = await fixture.App.RunAsync(Client, ClassificationFixture.RecoveryProbe);
        Assert.Equal(RunOutcomes.Succeeded, (await SchedulerApp.WaitFinishedAsync(Client, third)).Outcome);

        var recovered = Assert.IsType<JobRecovered>((await WaitForEventAsync(third)).Event);
        Assert.Equal(2, recovered.FailedRuns);
        var runs = await Client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{ClassificationFixture.RecoveryProbe}/runs?limit=3");
        Assert.NotNull(runs);
        Assert.Equal([third, second, first], runs.Select(r => r.RunId));
        Assert.Equal(runs[2].StartedAt, recovered.FailedSince);
    }

    [Fact]
    public async Task Run_requires_the_operator_key_and_a_known_job()
    {
        using var anonymous = fixture.App.CreateClient();
        using var unauthenticated = await anonymous.PostAsync($"/jobs/{ClassificationFixture.Payment}/run", null);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);

        using var unknown = await Client.PostAsync("/jobs/no-such-job/run", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);

        using var missingRun = await Client.GetAsync("/runs/nope");
        Assert.Equal(HttpStatusCode.NotFound, missingRun.StatusCode);
    }

    [Fact]
    public async Task Jobs_lists_the_seeds_seven_jobs_with_their_next_run()
    {
        var jobs = await Client.GetFromJsonAsync<List<JobSummary>>("/jobs");
        string[] seed =
        [
            "weekly-provider-payment-report", "weekly-provider-payment-summary-report", "weekly-referral-report",
            "weekly-individual-provider-reports", "weekly-npi-update", "database-backup", "pool-stats",
        ];
        Assert.NotNull(jobs);
        Assert.Equal(SchedulerApp.SeedJobCount, seed.Length);
        Assert.Equal(seed, jobs.Take(SchedulerApp.SeedJobCount).Select(j => j.Id));
        Assert.DoesNotContain(jobs, j => j.Id == "secrets-cache-warming");
        Assert.Equal("instance", jobs.Single(j => j.Id == "pool-stats").Scope);
        // The tests' never-firing cron replaces the seed's; its next run is what that cron says.
        Assert.Equal(new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero), jobs[0].NextRunAt);

        // The shipped schedule itself, as the service's build output carries it.
        var shipped = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(SchedulerProcess.OutputDirectory(), "appsettings.json"), optional: false).Build();
        Assert.Equal("0 0 9 ? * MON", shipped["Scheduler:Jobs:0:cron"]);

        var detail = await Client.GetFromJsonAsync<JobDetails>($"/jobs/{ClassificationFixture.Payment}");
        Assert.Equal(SchedulerApp.NeverCron, detail!.Cron);
        Assert.Equal(300, detail.TimeoutSeconds);
        Assert.Equal("Provider payment report", detail.DisplayName);

        using var badLimit = await Client.GetAsync($"/jobs/{ClassificationFixture.Payment}/runs?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, badLimit.StatusCode);
    }

    private async Task<(IJobEvent Event, string? TraceId)> WaitForEventAsync(string runId)
    {
        // The run's row is completed just before its event is handed over; poll briefly for it.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var events = fixture.Publisher.Published.Where(p => p.Event.RunId == runId).ToList();
            if (events.Count > 0)
            {
                return Assert.Single(events);
            }

            await Task.Delay(20);
        }

        throw new Xunit.Sdk.XunitException($"No event was published for run {runId}.");
    }
}
