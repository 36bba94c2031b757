using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>On the real AppHost: API down → job failed → API back → the scheduler re-runs it by itself and the email says so.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class AutomaticRecoveryTests(SurgiCaseAppFixture fixture)
{
    private const string JobId = "weekly-provider-payment-summary-report";

    [Fact]
    public async Task After_the_API_comes_back_the_job_is_re_run_automatically_and_the_recovery_email_says_so()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        // No path: every API route fails, its health path too, so the probe finds it down.
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 503 });
        string failedRunId;
        try
        {
            failedRunId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, JobId);
            var failed = await fixture.WaitForRunToFinishAsync(scheduler, failedRunId);
            Assert.Equal("failed", failed["outcome"]!.GetValue<string>());
            await fixture.WaitForEmailAsync(e => e.Subject.StartsWith("🚨 CRITICAL", StringComparison.Ordinal)
                                                 && e.Body.Contains(failedRunId, StringComparison.Ordinal));
            // Probed every second while down: no re-run yet.
            Assert.Empty(await RecoveryRunsAsync(scheduler, failedRunId));
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }

        var recoveryRunId = await WaitForRecoveryRunAsync(scheduler, failedRunId);
        var recovery = await fixture.WaitForRunToFinishAsync(scheduler, recoveryRunId);
        Assert.Equal("succeeded", recovery["outcome"]!.GetValue<string>());

        var email = await fixture.WaitForEmailAsync(e => e.Subject == "✅ RESOLVED: Scheduled Job Recovered - Weekly Provider Payment Summary Report"
                                                          && e.Body.Contains(recoveryRunId, StringComparison.Ordinal));
        Assert.Contains("Recovered automatically: SurgiCase re-ran the job after the SurgiCase API (", email.Body, StringComparison.Ordinal);
        Assert.Contains(") answered again.", email.Body, StringComparison.Ordinal);
        Assert.Single(await RecoveryRunsAsync(scheduler, failedRunId));
    }

    /// <summary>The job's runs with trigger recovery queued after the failed run.</summary>
    private static async Task<List<string>> RecoveryRunsAsync(HttpClient scheduler, string failedRunId)
    {
        var runs = (await scheduler.GetFromJsonAsync<JsonArray>($"/jobs/{JobId}/runs"))!.Select(r => r!.AsObject()).ToList();
        var failedAt = runs.First(r => r["runId"]!.GetValue<string>() == failedRunId)["queuedAt"]!.GetValue<DateTimeOffset>();
        return runs.Where(r => r["trigger"]!.GetValue<string>() == "recovery" && r["queuedAt"]!.GetValue<DateTimeOffset>() > failedAt)
            .Select(r => r["runId"]!.GetValue<string>()).ToList();
    }

    private static async Task<string> WaitForRecoveryRunAsync(HttpClient scheduler, string failedRunId)
    {
        var deadline = DateTime.UtcNow + SurgiCaseAppFixture.AlertDeadline;
        while (true)
        {
            if ((await RecoveryRunsAsync(scheduler, failedRunId)).FirstOrDefault() is { } runId)
            {
                return runId;
            }

            Assert.True(DateTime.UtcNow < deadline, "No automatic recovery run after the API came back.");
            await Task.Delay(200);
        }
    }
}
