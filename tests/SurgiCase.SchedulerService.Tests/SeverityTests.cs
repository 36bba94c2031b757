using System.Net.Http.Json;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Besides the seed's critical and non-critical jobs, one that keeps small partials quiet and one with a low threshold.</summary>
public sealed class SeverityFixture : SimulatedApiFixture
{
    public const string Critical = "weekly-provider-payment-report";
    public const string PoolStats = "pool-stats";
    public const string QuietPartials = "quiet-partials";
    public const string LowThreshold = "low-threshold";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        SchedulerApp.Job(7, QuietPartials, "/api/reports/referral", name: "Weekly Referral Report", displayName: "Referral report")
            .Append(new("Scheduler:Jobs:7:partialFailure:belowThreshold", "none"))
            .Concat(SchedulerApp.Job(8, LowThreshold, "/api/reports/referral", name: "Weekly Referral Report", displayName: "Referral report"))
            .Append(new("Scheduler:Jobs:8:partialFailure:thresholdPercent", "5"));
}

public sealed class SeverityTests(SeverityFixture fixture) : IClassFixture<SeverityFixture>, IAsyncLifetime
{
    private HttpClient Client => fixture.Client;

    public Task InitializeAsync() => fixture.Simulator.ClearFaultAsync();

    public Task DisposeAsync() => fixture.Simulator.ClearFaultAsync();

    [Fact]
    public async Task A_critical_jobs_failure_is_critical_in_the_event_and_in_the_run_history()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "error", status = 500 });

        var (run, events) = await RunAsync(SeverityFixture.Critical);

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(Severities.Critical, Assert.IsType<JobFailed>(Assert.Single(events)).Severity);
        Assert.Equal(Severities.Critical, run.Severity);
    }

    [Fact]
    public async Task A_non_critical_jobs_failure_is_a_warning_and_the_job_list_shows_it()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "error", status = 503 });

        var (run, events) = await RunAsync(SeverityFixture.PoolStats);

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(Severities.Warning, Assert.IsType<JobFailed>(Assert.Single(events)).Severity);
        var jobs = await Client.GetFromJsonAsync<List<JobSummary>>("/jobs");
        Assert.Equal(Severities.Warning, jobs!.Single(j => j.Id == SeverityFixture.PoolStats).LastRun!.Severity);
    }

    [Fact]
    public async Task A_partial_failure_above_the_threshold_has_the_jobs_severity()
    {
        // 50 of 90 items failed: 55 %, above the seed's 50 %.
        await fixture.Simulator.SetFaultAsync(new { mode = "partial", failedItems = 50 });

        var (run, events) = await RunAsync(SeverityFixture.Critical);

        Assert.Equal(RunOutcomes.Partial, run.Outcome);
        var partial = Assert.IsType<JobPartiallyFailed>(Assert.Single(events));
        Assert.Equal(50, partial.Failed);
        Assert.Equal(Severities.Critical, partial.Severity);
        Assert.Equal(Severities.Critical, run.Severity);
    }

    [Fact]
    public async Task A_partial_failure_below_the_threshold_is_a_warning_by_default()
    {
        // 3 of 43 items failed: 7 %.
        await fixture.Simulator.SetFaultAsync(new { mode = "partial" });

        var (run, events) = await RunAsync(SeverityFixture.Critical);

        Assert.Equal(Severities.Warning, Assert.IsType<JobPartiallyFailed>(Assert.Single(events)).Severity);
        Assert.Equal(Severities.Warning, run.Severity);
    }

    [Fact]
    public async Task A_job_with_a_lower_threshold_alerts_a_small_partial_failure_with_its_own_severity()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "partial" });

        var (_, events) = await RunAsync(SeverityFixture.LowThreshold);

        Assert.Equal(Severities.Critical, Assert.IsType<JobPartiallyFailed>(Assert.Single(events)).Severity);
    }

    [Fact]
    public async Task A_partial_failure_below_the_threshold_of_a_job_set_to_none_is_recorded_without_an_alert()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "partial" });
        var quietRun = await fixture.App.RunAsync(Client, SeverityFixture.QuietPartials);
        var quiet = await SchedulerApp.WaitFinishedAsync(Client, quietRun);

        // A later failure of the same job is published; the partial before it never was.
        await fixture.Simulator.SetFaultAsync(new { mode = "error", status = 500 });
        var (_, laterEvents) = await RunAsync(SeverityFixture.QuietPartials);

        Assert.Equal(RunOutcomes.Partial, quiet.Outcome);
        Assert.Null(quiet.Severity);
        Assert.Empty(fixture.Publisher.ForRun(quietRun));
        Assert.IsType<JobFailed>(Assert.Single(laterEvents));
    }

    [Fact]
    public async Task A_partial_failure_of_5000_long_items_is_capped_in_its_event_with_the_count_of_the_rest()
    {
        await fixture.Simulator.SetFaultAsync(new { mode = "partial", failedItems = 5000, itemLength = 200 });

        var (run, events) = await RunAsync(SeverityFixture.Critical);

        Assert.Equal(RunOutcomes.Partial, run.Outcome);
        var partial = Assert.IsType<JobPartiallyFailed>(Assert.Single(events));
        Assert.Equal(5000, partial.Failed);
        Assert.Equal(51, partial.FailedItems.Count);
        Assert.Equal("…and 4,950 more", partial.FailedItems[^1]);
        Assert.All(partial.FailedItems.Take(50), item => Assert.Equal(200, item.Length));
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(Messaging.JobEventSerializer.Serialize(partial).Body), 10_000, 64 * 1024);
    }

    [Fact]
    public void Long_items_and_texts_are_cut_with_an_ellipsis()
    {
        var items = EventLimits.Items([new string('a', 600), "short"]);

        Assert.Equal([new string('a', 499) + "…", "short"], items);
        Assert.Equal("abcd…", EventLimits.Text("abcdefgh", 5));
        Assert.Same("abc", EventLimits.Text("abc", 5));
    }

    [Theory]
    [InlineData(true, 51, 100, 50, "warning", Severities.Critical)]
    [InlineData(true, 50, 100, 50, "warning", Severities.Warning)]
    [InlineData(false, 90, 100, 50, "warning", Severities.Warning)]
    [InlineData(true, 10, 100, 50, "none", null)]
    [InlineData(true, 3, 0, 50, "none", Severities.Critical)]
    [InlineData(true, 1, 100, 0, "none", Severities.Critical)]
    public void Severity_of_a_partial_failure_follows_the_threshold(bool critical, int failed, int total, double threshold, string below, string? expected)
    {
        var job = new JobDefinition { Critical = critical, PartialFailure = new PartialFailureOptions { ThresholdPercent = threshold, BelowThreshold = below } };

        Assert.Equal(expected, AlertSeverity.ForPartial(job, new PartialResult(total - failed, failed, total, [], [])));
    }

    private async Task<(RunRecord Run, IReadOnlyList<IJobEvent> Events)> RunAsync(string jobId)
    {
        var runId = await fixture.App.RunAsync(Client, jobId);
        var run = await SchedulerApp.WaitFinishedAsync(Client, runId);
        return (run, await fixture.Publisher.WaitForRunAsync(runId));
    }
}
