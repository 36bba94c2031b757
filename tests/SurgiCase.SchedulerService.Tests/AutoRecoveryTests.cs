using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Automatic recovery on SQLite, the fake clock and the real simulator: which failures are re-run, exactly once, when the
/// dependency answers again, and what the recovery run's events say.
/// </summary>
public sealed class AutoRecoveryTests : IAsyncLifetime
{
    private readonly SimulatorHost _simulator = new();
    private readonly FakeTimeProvider _time = new(AutoRecoveryBed.MondayMorning);

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task A_dependency_failure_is_probed_and_the_job_re_run_once_when_the_API_answers_again()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time);
        // No path: the whole API answers 500, its health too.
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });
        var failed = await bed.RunToEndAsync();
        Assert.Equal(RunOutcomes.Failed, failed.Outcome);
        var pending = Assert.Single(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Equal(failed.RunId, pending.FailedRunId);
        Assert.Equal($"the SurgiCase API ({_simulator.BaseAddress.Authority})", pending.Dependency);

        // Still down: probed, not re-run.
        await bed.CheckAsync();
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));

        await _simulator.ClearFaultAsync();
        _time.Advance(TimeSpan.FromMinutes(3));
        await bed.CheckAsync();
        var recovery = await bed.RecoveryRunAsync();
        Assert.Equal(RunOutcomes.Succeeded, recovery.Outcome);
        Assert.Null(recovery.RequestedBy);

        var recovered = Assert.IsType<JobRecovered>(Assert.Single(await bed.Publisher.WaitForRunAsync(recovery.RunId)));
        Assert.Equal(Triggers.Recovery, recovered.Trigger);
        Assert.Equal(pending.Dependency, recovered.Dependency);
        Assert.Equal(1, recovered.FailedRuns);

        // Exactly once: later passes find nothing to do.
        await bed.CheckAsync();
        await bed.CheckAsync();
        Assert.Single(await bed.RunsAsync(Triggers.Recovery));
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));

        // The recovery re-does the failed run's operation: same Idempotency-Key (the API replays only a success).
        var reportKeys = await _simulator.IdempotencyKeysAsync();
        Assert.Equal([$"{AutoRecoveryBed.JobId}/run/{failed.RunId}", $"{AutoRecoveryBed.JobId}/run/{failed.RunId}"], reportKeys);
    }

    [Fact]
    public async Task The_page_shows_the_pending_recovery_and_labels_the_recovery_run()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time);
        await _simulator.SetFaultAsync(new { mode = "reset" });
        await bed.RunToEndAsync();

        var page = OperationsPageClient.Create(bed.App);
        using (var signedIn = await OperationsPageClient.SignInAsync(page, SchedulerApp.OperatorKey, "/"))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var overview = System.Net.WebUtility.HtmlDecode(await page.GetStringAsync("/"));
        Assert.Contains($"automatic recovery pending (probing the SurgiCase API ({_simulator.BaseAddress.Authority}) since 2025-10-20 09:00",
            overview, StringComparison.Ordinal);

        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        await bed.RecoveryRunAsync();
        var history = await page.GetStringAsync($"/ops/jobs/{AutoRecoveryBed.JobId}");
        Assert.Contains("<td data-trigger=\"recovery\">recovery (automatic)</td>", history, StringComparison.Ordinal);
        Assert.DoesNotContain("automatic recovery pending", System.Net.WebUtility.HtmlDecode(await page.GetStringAsync("/")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    public async Task A_failure_a_re_run_cannot_fix_is_not_recovered(int status)
    {
        using var bed = new AutoRecoveryBed(_simulator, _time);
        await _simulator.SetFaultAsync(new { mode = "error", status, path = AutoRecoveryBed.ReportPath });
        var failed = await bed.RunToEndAsync();
        Assert.Equal(ErrorKinds.HttpStatus, failed.ErrorKind);

        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task A_job_with_auto_recovery_turned_off_is_not_re_run()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, new Dictionary<string, string?> { ["Scheduler:Jobs:7:autoRecovery"] = "false" });
        await _simulator.SetFaultAsync(new { mode = "error", status = 503 });
        await bed.RunToEndAsync();

        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task A_non_critical_job_is_not_re_run()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, new Dictionary<string, string?> { ["Scheduler:Jobs:7:critical"] = "false" });
        await _simulator.SetFaultAsync(new { mode = "reset" });
        await bed.RunToEndAsync();

        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task No_re_run_when_the_next_scheduled_fire_is_within_the_margin()
    {
        // Fires Mondays 09:10; the failure is at 09:00 and the margin 15 minutes: the schedule runs it soon anyway.
        using var bed = new AutoRecoveryBed(_simulator, _time, new Dictionary<string, string?> { ["Scheduler:Recovery:NextFireMargin"] = "00:15:00" },
            cron: "0 10 9 ? * MON");
        await _simulator.SetFaultAsync(new { mode = "error", status = 502 });
        await bed.RunToEndAsync();
        Assert.Single(await bed.Recoveries.ListPendingAsync(CancellationToken.None));

        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task A_failed_recovery_run_is_alerted_once_with_trigger_recovery_and_not_re_run_again()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time);
        // The report route fails, the health path answers: the probe says "up" but the run fails again.
        await _simulator.SetFaultAsync(new { mode = "error", status = 500, path = AutoRecoveryBed.ReportPath });
        await bed.RunToEndAsync();

        await bed.CheckAsync();
        var recovery = await bed.RecoveryRunAsync();
        Assert.Equal(RunOutcomes.Failed, recovery.Outcome);
        var alert = Assert.IsType<JobFailed>(Assert.Single(await bed.Publisher.WaitForRunAsync(recovery.RunId)));
        Assert.Equal(Triggers.Recovery, alert.Trigger);

        // No loop: the failed recovery run gets no recovery of its own, and supersedes nothing that would re-run.
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Single(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task Probing_stops_after_the_give_up_time()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, new Dictionary<string, string?> { ["Scheduler:Recovery:GiveUpAfter"] = "00:30:00" });
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });
        await bed.RunToEndAsync();

        _time.Advance(TimeSpan.FromMinutes(31));
        await _simulator.ClearFaultAsync();
        await bed.CheckAsync();
        Assert.Empty(await bed.Recoveries.ListPendingAsync(CancellationToken.None));
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));
    }

    [Fact]
    public async Task While_the_circuit_breaker_is_open_the_probe_waits_for_its_half_open_time()
    {
        using var bed = new AutoRecoveryBed(_simulator, _time, new Dictionary<string, string?>
        {
            ["Scheduler:CircuitBreaker:FailureThreshold"] = "2",
            ["Scheduler:CircuitBreaker:BreakDuration"] = "00:10:00",
        });
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });
        // Two failed runs open the circuit (2 is the lowest threshold Polly's breaker takes); the second supersedes the first's recovery.
        await bed.RunToEndAsync();
        await bed.RunToEndAsync();
        await _simulator.ClearFaultAsync();

        await bed.CheckAsync();
        Assert.Empty(await bed.RunsAsync(Triggers.Recovery));

        _time.Advance(TimeSpan.FromMinutes(10));
        await bed.CheckAsync();
        Assert.Equal(RunOutcomes.Succeeded, (await bed.RecoveryRunAsync()).Outcome);
    }

    [Fact]
    public async Task A_pending_recovery_survives_a_restart()
    {
        var dataDirectory = SchedulerApp.NewDataDirectory();
        try
        {
            using (var before = new AutoRecoveryBed(_simulator, _time, dataDirectory: dataDirectory))
            {
                await _simulator.SetFaultAsync(new { mode = "reset" });
                Assert.Equal(ErrorKinds.ConnectionFailed, (await before.RunToEndAsync()).ErrorKind);
            }

            await _simulator.ClearFaultAsync();
            using var after = new AutoRecoveryBed(_simulator, _time, dataDirectory: dataDirectory);
            await after.CheckAsync();
            Assert.Equal(RunOutcomes.Succeeded, (await after.RecoveryRunAsync()).Outcome);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(dataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
