using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>On the real AppHost: a non-critical job fails as a warning, an oversized partial failure still alerts, and every attempt of a run sends one Idempotency-Key.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class SeverityAndRetryTests(SurgiCaseAppFixture fixture)
{
    [Fact]
    public async Task A_pool_stats_failure_is_recorded_and_emailed_as_a_warning()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/maintenance/pool-stats" });
        try
        {
            var runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "pool-stats");
            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal("failed", run["outcome"]!.GetValue<string>());
            Assert.Equal("warning", run["severity"]!.GetValue<string>());

            // The subject is the notification side's (helper "alerts"): it passes once its rendering is merged.
            await fixture.WaitForEmailAsync(
                e => e.Subject == "⚠️ WARNING: Scheduled Job Failed - Pool Cleanup/Stats" && e.Body.Contains(runId, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task A_partial_failure_of_5000_long_items_sends_one_email_within_seconds_with_the_list_cut_and_counted()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        await fixture.SetSimulatorFaultAsync(new { mode = "partial", failedItems = 5000, itemLength = 200, path = "/api/reports/provider-payment" });
        try
        {
            var emailsBefore = await fixture.SentEmailCountAsync();
            var runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "weekly-provider-payment-report");
            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal("partial", run["outcome"]!.GetValue<string>());

            // Within the fixture's alert deadline, exactly one email for the run (WaitForEmailAsync insists on one).
            var email = await fixture.WaitForEmailAsync(e => e.Body.Contains(runId, StringComparison.Ordinal), emailsBefore);

            // The payment report is critical and all 5,000 items failed, yet a partial failure is the seed's orange ⚠️ email.
            Assert.Equal("⚠️ Scheduled Job Partially Failed - Weekly Provider Payment Report", email.Subject);
            Assert.Contains("background:#e65100;", email.Body, StringComparison.Ordinal);
            Assert.Contains("…and 4,950 more", email.Body, StringComparison.Ordinal);
            Assert.Contains("provider-1049: missing NPI", email.Body, StringComparison.Ordinal);
            Assert.DoesNotContain("provider-1050: missing NPI", email.Body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task The_simulator_sees_the_same_Idempotency_Key_on_every_attempt_of_a_run()
    {
        const string path = "/api/reports/referral";
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        using var simulator = fixture.App.CreateHttpClient("api-simulator", "http");
        (await simulator.DeleteAsync("/requests")).EnsureSuccessStatusCode();
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 503, path, times = 2 });
        try
        {
            var runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "weekly-referral-report");
            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal("succeeded", run["outcome"]!.GetValue<string>());
            Assert.Equal(3, run["attempts"]!.GetValue<int>());

            var requests = await simulator.GetFromJsonAsync<JsonArray>("/requests");
            var keys = requests!.Where(r => r!["path"]!.GetValue<string>() == path).Select(r => r!["idempotencyKey"]?.GetValue<string>()).ToList();
            Assert.Equal(Enumerable.Repeat<string?>($"weekly-referral-report/run/{runId}", 3), keys);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }
}
