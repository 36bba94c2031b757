using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>When email itself is down, the alert still reaches a person through the second channel.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class EmailDownTests(SurgiCaseAppFixture fixture)
{
    [Fact]
    public async Task Ses_rejecting_sends_the_alert_to_the_slack_webhook_and_keeps_the_message_in_the_dlq()
    {
        using var simulator = fixture.App.CreateHttpClient("api-simulator", "http");
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        (await simulator.DeleteAsync("/webhooks/slack")).EnsureSuccessStatusCode();
        var dlqBefore = await DeadLetterCountAsync();

        await fixture.SetAwsFaultAsync(new
        {
            service = "ses", mode = "error", errorCode = "MessageRejected", status = 400, message = "Email address is not verified.",
        });
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            using var response = await scheduler.PostAsync("/jobs/weekly-provider-payment-report/run", null);
            response.EnsureSuccessStatusCode();
            var runId = (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();

            var text = await SurgiCaseAppFixture.WaitForSlackTextAsync(simulator, runId);
            var deadline = DateTime.UtcNow + SurgiCaseAppFixture.AlertDeadline;

            Assert.NotNull(text);
            Assert.Contains("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", text, StringComparison.Ordinal);
            Assert.Contains("MessageRejected", text, StringComparison.Ordinal);

            // The message is not dropped: once the fallback has the alert it goes to the DLQ with the reason.
            while (await DeadLetterCountAsync() <= dlqBefore)
            {
                Assert.True(DateTime.UtcNow < deadline, "The message did not reach the dead-letter queue in time.");
                await Task.Delay(200);
            }

            Assert.DoesNotContain(await MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl), e => e.Body.Contains(runId, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.ClearAwsFaultsAsync();
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    private Task<int> DeadLetterCountAsync() =>
        MotoAdmin.GetQueueMessageCountAsync(fixture.Moto, fixture.LocalAwsUrl, "surgicase-job-events-dlq");
}
