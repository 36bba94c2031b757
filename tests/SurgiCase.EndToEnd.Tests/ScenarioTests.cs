using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// The seed's "How It Prevents Future Issues" scenarios, each run on the real AppHost: an AWS Secrets
/// Manager outage, a failing job, and the SurgiCase API server down and back.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class ScenarioTests(SurgiCaseAppFixture fixture)
{
    private const string PaymentReport = "weekly-provider-payment-report";
    private const string PaymentReportName = "Weekly Provider Payment Report";

    [Fact]
    public async Task Secrets_Manager_outage_report_still_succeeds_on_stale_key_and_warming_alert_lists_failed_secrets()
    {
        using var secrets = fixture.CreateOperatorClient("secrets-service");
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        var warm = await PostJsonAsync(secrets, "/secrets/warm");
        Assert.Empty(warm["failed"]!.AsArray());

        await fixture.SetAwsFaultAsync(new
        {
            service = "secretsmanager", mode = "error", errorCode = "InternalServiceError", status = 500, message = "Dependency exception",
        });
        try
        {
            var emailsBefore = await fixture.SentEmailCountAsync();
            var outageWarm = await PostJsonAsync(secrets, "/secrets/warm");
            var failedNames = outageWarm["failed"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
            Assert.Equal(outageWarm["total"]!.GetValue<int>(), failedNames.Count);
            Assert.All(outageWarm["failed"]!.AsArray(), f => Assert.Equal("InternalServiceError", f!["errorCode"]!.GetValue<string>()));

            var alert = await fixture.WaitForEmailAsync(
                e => e.Subject == "🚨 CRITICAL: Scheduled Job Failed - Secrets Cache Warming", emailsBefore);
            Assert.All(failedNames, name => Assert.Contains(name, alert.Body, StringComparison.Ordinal));
            Assert.Contains("InternalServiceError", alert.Body, StringComparison.Ordinal);

            // The report job reads its API key through SecretsService while AWS is down: the key is
            // served from the stale cache and the simulator, which checks it, accepts the call.
            var runId = await RunJobNowAsync(scheduler, PaymentReport);
            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal("succeeded", run["outcome"]!.GetValue<string>());

            var cache = await secrets.GetFromJsonAsync<JsonObject>("/cache");
            var apiKeyEntry = cache!["entries"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "surgicase/api");
            Assert.Equal("InternalServiceError", apiKeyEntry!["lastErrorCode"]!.GetValue<string>());
        }
        finally
        {
            await fixture.ClearAwsFaultsAsync();
        }

        // The SecretsService breaker (2 s in these tests) lets a probe through, then closes.
        var deadline = DateTime.UtcNow + SurgiCaseAppFixture.AlertDeadline;
        JsonObject recovered;
        do
        {
            await Task.Delay(500);
            recovered = await PostJsonAsync(secrets, "/secrets/warm");
        }
        while (recovered["failed"]!.AsArray().Count > 0 && DateTime.UtcNow < deadline);
        Assert.Empty(recovered["failed"]!.AsArray());
    }

    [Fact]
    public async Task Job_execution_failure_sends_the_critical_email_with_error_and_troubleshooting_within_seconds()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            var runId = await RunJobNowAsync(scheduler, PaymentReport);
            var email = await fixture.WaitForEmailAsync(
                e => e.Subject == $"🚨 CRITICAL: Scheduled Job Failed - {PaymentReportName}" && e.Body.Contains(runId, StringComparison.Ordinal));

            Assert.Contains("Provider payment report failed with HTTP status 500", email.Body, StringComparison.Ordinal);
            Assert.Contains("Troubleshooting", email.Body, StringComparison.Ordinal);
            Assert.Contains("Check the report generator", email.Body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task Api_server_down_says_check_the_api_server_and_recovery_sends_the_resolved_email()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        await fixture.ClearSimulatorFaultsAsync();
        var before = await fixture.SentEmailCountAsync();

        await fixture.App.ResourceCommands.ExecuteCommandAsync("api-simulator", KnownResourceCommands.StopCommand);
        string failedRunId;
        try
        {
            failedRunId = await RunJobNowAsync(scheduler, PaymentReport);
            var run = await fixture.WaitForRunToFinishAsync(scheduler, failedRunId);
            Assert.True(run["errorKind"]?.GetValue<string>() == "ConnectionFailed", run.ToJsonString());
            var email = await fixture.WaitForEmailAsync(
                e => e.Subject == $"🚨 CRITICAL: Scheduled Job Failed - {PaymentReportName}" && e.Body.Contains(failedRunId, StringComparison.Ordinal),
                before);
            Assert.Contains("Check if the SurgiCase API server is running", email.Body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.App.ResourceCommands.ExecuteCommandAsync("api-simulator", KnownResourceCommands.StartCommand);
            await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("api-simulator")
                .WaitAsync(TimeSpan.FromMinutes(2));
        }

        var recoveryRunId = await RunJobNowAsync(scheduler, PaymentReport);
        var recoveryRun = await fixture.WaitForRunToFinishAsync(scheduler, recoveryRunId);
        Assert.Equal("succeeded", recoveryRun["outcome"]!.GetValue<string>());
        var resolved = await fixture.WaitForEmailAsync(
            e => e.Subject == $"✅ RESOLVED: Scheduled Job Recovered - {PaymentReportName}" && e.Body.Contains(recoveryRunId, StringComparison.Ordinal),
            before);
        Assert.Contains(PaymentReportName, resolved.Body, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> PostJsonAsync(HttpClient client, string path)
    {
        using var response = await client.PostAsync(path, null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static Task<string> RunJobNowAsync(HttpClient scheduler, string jobId) => SurgiCaseAppFixture.RunJobNowAsync(scheduler, jobId);
}
