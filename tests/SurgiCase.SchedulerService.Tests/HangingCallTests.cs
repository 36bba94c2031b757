using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A report call that hangs at the real simulator (slow mode that outlives its caller) on one fake clock shared by the
/// scheduler and the simulator: the attempt times out, the retries are answered 409 while the API still works, and the run
/// ends as the seed's timeout, with its early warning after the first attempt and automatic recovery.
/// </summary>
public sealed class HangingCallTests : IAsyncLifetime
{
    private const string MaxAttempts = "Scheduler:Jobs:7:retry:maxAttempts";
    private readonly FakeTimeProvider _time = new(AutoRecoveryBed.MondayMorning);
    private readonly SimulatorHost _simulator;

    public HangingCallTests() => _simulator = new SimulatorHost(time: _time);

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task A_409_after_a_timeout_stays_a_Timeout_warns_after_the_first_attempt_and_is_recovered()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, [new(MaxAttempts, "3")]);
        // 20 minutes of work: longer than the run's three attempts (5 min, then 409s), shorter than the recovery's wait.
        await _simulator.SetFaultAsync(new { mode = "slow", delaySeconds = 1200, continueAfterDisconnect = true, path = AutoRecoveryBed.ReportPath });

        var runId = await bed.App.RunAsync(bed.Client, AutoRecoveryBed.JobId);
        var run = await SchedulerApp.WaitFinishedAsync(bed.Client, runId, () => _time.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal((RunOutcomes.Failed, ErrorKinds.Timeout, 3), (run.Outcome, run.ErrorKind, run.Attempts));
        Assert.Equal("Provider payment report timed out (>5 minutes)", run.ErrorMessage);
        var events = await WaitForFinalAsync(bed, runId);
        var warning = Assert.Single(events, e => e.RetryAt is not null);
        var final = Assert.Single(events, e => e.RetryAt is null);

        // The warning: attempt 1 of 3, within about 6 minutes of the start, while the run goes on.
        Assert.Equal((1, 3, Severities.Warning, ErrorKinds.Timeout), (warning.Attempt, warning.MaxAttempts, warning.Severity, warning.ErrorKind));
        Assert.StartsWith("Provider payment report: attempt 1 of 3 timed out after 5 minutes; retrying at 2025-10-20 09:0", warning.ErrorMessage);
        Assert.True(warning.OccurredAt - run.StartedAt!.Value < TimeSpan.FromMinutes(6), $"warned at {warning.OccurredAt}, started {run.StartedAt}");
        Assert.True(warning.RetryAt > warning.OccurredAt);

        // The final alert: the seed's timeout message and hint; the 409s are the same timeout, said in the attempts.
        Assert.Equal((ErrorKinds.Timeout, Severities.Critical, 3), (final.ErrorKind, final.Severity, final.Attempt));
        Assert.Equal(run.ErrorMessage, final.ErrorMessage);
        Assert.Contains("took longer than 5 minutes", final.Troubleshooting![0], StringComparison.Ordinal);
        Assert.All(final.AttemptErrors!, a => Assert.Equal(ErrorKinds.Timeout, a.ErrorKind));
        Assert.Equal("409", final.Details!["httpStatus"]);
        Assert.Contains("still working on the request that timed out", final.Exception!.Message, StringComparison.Ordinal);

        // Recovered as a timeout: the recovery run sends the same key and gets the report the API finished meanwhile.
        var pending = Assert.Single(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Equal((runId, ErrorKinds.Timeout), (pending.FailedRunId, pending.ErrorKind));
        await _simulator.ClearFaultAsync();
        _time.Advance(TimeSpan.FromMinutes(16));
        await bed.CheckAsync();
        var recovery = Assert.Single(await bed.RunsAsync(Triggers.Recovery));
        recovery = await SchedulerApp.WaitFinishedAsync(bed.Client, recovery.RunId, () => _time.Advance(TimeSpan.FromSeconds(5)));
        Assert.Equal(RunOutcomes.Succeeded, recovery.Outcome);
        var keys = await _simulator.IdempotencyKeysAsync();
        Assert.All(keys, k => Assert.Equal($"{AutoRecoveryBed.JobId}/run/{runId}", k));
        Assert.True(keys.Count >= 4, $"{keys.Count} calls");
    }

    [Fact]
    public async Task A_non_critical_jobs_timeout_sends_no_early_warning()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, [new(MaxAttempts, "2"), new("Scheduler:Jobs:7:critical", "false")]);
        await _simulator.SetFaultAsync(new { mode = "slow", delaySeconds = 1200, continueAfterDisconnect = true, path = AutoRecoveryBed.ReportPath });

        var runId = await bed.App.RunAsync(bed.Client, AutoRecoveryBed.JobId);
        var run = await SchedulerApp.WaitFinishedAsync(bed.Client, runId, () => _time.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal((ErrorKinds.Timeout, 2), (run.ErrorKind, run.Attempts));
        var final = Assert.Single(await WaitForFinalAsync(bed, runId));
        Assert.Null(final.RetryAt);
    }

    [Fact]
    public async Task A_409_without_an_earlier_timeout_stays_an_HTTP_status_failure()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, [new(MaxAttempts, "3")]);
        await _simulator.SetFaultAsync(new { mode = "error", status = 409, path = AutoRecoveryBed.ReportPath });

        var runId = await bed.App.RunAsync(bed.Client, AutoRecoveryBed.JobId);
        var run = await SchedulerApp.WaitFinishedAsync(bed.Client, runId, () => _time.Advance(TimeSpan.FromSeconds(5)));

        Assert.Equal((ErrorKinds.HttpStatus, 1), (run.ErrorKind, run.Attempts));
        Assert.Equal("Provider payment report failed with HTTP status 409", run.ErrorMessage);
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
    }

    /// <summary>The run's failure events once its final one is published (the outbox sends it just after the run's row).</summary>
    private static async Task<IReadOnlyList<JobFailed>> WaitForFinalAsync(AutoRecoveryBed bed, string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!bed.Publisher.ForRun(runId).OfType<JobFailed>().Any(e => e.RetryAt is null))
        {
            Assert.True(DateTime.UtcNow < deadline, $"No final JobFailed was published for run {runId}.");
            await Task.Delay(20);
        }

        return bed.Publisher.ForRun(runId).OfType<JobFailed>().ToList();
    }
}
