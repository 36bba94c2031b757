namespace SurgiCase.EndToEnd.Tests;

/// <summary>Issue 11.4 on the real AppHost: a critical alert reaches the Slack stand-in as well as SES, not only when email fails.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class SlackBesideEmailTests(SurgiCaseAppFixture fixture)
{
    [Fact]
    public async Task A_critical_alert_is_emailed_and_posted_to_slack()
    {
        using var simulator = fixture.App.CreateHttpClient("api-simulator", "http");
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        (await simulator.DeleteAsync("/webhooks/slack")).EnsureSuccessStatusCode();
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            var runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "weekly-provider-payment-report");
            await fixture.WaitForEmailAsync(e =>
                e.Subject == "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report" && e.Body.Contains(runId, StringComparison.Ordinal));

            // The post follows the email in the same delivery.
            var text = await SurgiCaseAppFixture.WaitForSlackTextAsync(simulator, runId);

            Assert.NotNull(text);
            Assert.StartsWith("*🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report*", text, StringComparison.Ordinal);
            Assert.Contains("Provider payment report failed with HTTP status 500", text, StringComparison.Ordinal);
            Assert.Contains("|Open the operations page>", text, StringComparison.Ordinal);
            Assert.DoesNotContain("email failed", text, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }
}
