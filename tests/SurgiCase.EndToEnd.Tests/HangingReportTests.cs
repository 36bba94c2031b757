using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// On the real AppHost: a report hangs at the API (the simulator's slow mode, working on after the caller gives up). The
/// first timed-out attempt is warned about at once, the retries meet the API still working (409) and the run ends as the
/// seed's timeout; once the API has finished, the automatic recovery run gets the stored report.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class HangingReportTests(SurgiCaseAppFixture fixture)
{
    private const string JobId = "weekly-individual-provider-reports";
    private const string JobName = "Weekly Individual Provider Reports";

    [Fact]
    public async Task A_hanging_report_warns_after_its_first_attempt_ends_as_a_timeout_and_is_recovered()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        // 5 s of work; the job's attempts time out after 2 s and retry within a second, so they meet it still running.
        await fixture.SetSimulatorFaultAsync(new
        {
            mode = "slow", delaySeconds = 5, continueAfterDisconnect = true, path = "/api/reports/individual-provider", times = 1,
        });
        string runId;
        try
        {
            runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, JobId);
            var warning = await fixture.WaitForEmailAsync(e => e.Subject == $"⚠️ Scheduled Job Attempt Timed Out, Retrying - {JobName}"
                                                               && e.Body.Contains(runId, StringComparison.Ordinal));
            Assert.Contains("Individual provider reports: attempt 1 of 3 timed out after 2 seconds; retrying at", warning.Body, StringComparison.Ordinal);

            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal(("failed", "Timeout", 3), (run["outcome"]!.GetValue<string>(), run["errorKind"]!.GetValue<string>(), run["attempts"]!.GetValue<int>()));
            Assert.Equal("Individual provider reports timed out (>2 seconds)", run["errorMessage"]!.GetValue<string>());
            var failure = await fixture.WaitForEmailAsync(e => e.Subject == $"🚨 CRITICAL: Scheduled Job Failed - {JobName}"
                                                               && e.Body.Contains(runId, StringComparison.Ordinal));
            Assert.Contains("took longer than 2 seconds", failure.Body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }

        // Recovered as a timeout: the recovery run sends the failed run's key and gets the report the API finished.
        var recovered = await fixture.WaitForEmailAsync(e => e.Subject == $"✅ RESOLVED: Scheduled Job Recovered - {JobName}");
        Assert.Contains("Recovered automatically", recovered.Body, StringComparison.Ordinal);
        using var simulator = fixture.App.CreateHttpClient("api-simulator", "http");
        var keys = (await simulator.GetFromJsonAsync<JsonArray>("/requests"))!
            .Where(r => r!["path"]!.GetValue<string>() == "/api/reports/individual-provider")
            .Select(r => r!["idempotencyKey"]?.GetValue<string>()).ToList();
        Assert.True(keys.Count >= 4, $"{keys.Count} calls");
        Assert.All(keys, k => Assert.Equal($"{JobId}/run/{runId}", k));
    }
}
