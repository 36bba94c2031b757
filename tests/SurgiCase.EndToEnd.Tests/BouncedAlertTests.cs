using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// Issue 19.3 across the whole system: a job fails, its critical alert goes to a recipient whose mailbox does not exist
/// (SES's mailbox simulator address), the fault proxy plays SES's bounce notification into the feedback topic, and
/// NotificationService records it, re-sends the alert to the escalation address naming the bounced one, flags the
/// address in /health and on the operations page.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class BouncedAlertTests(SurgiCaseAppFixture fixture)
{
    private const string Bounce = "bounce@simulator.amazonses.com";
    private const string Subject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report";
    private const string RecipientsSecret = "surgicase/main";

    [Fact]
    public async Task A_bounced_alert_is_recorded_re_sent_to_the_escalation_and_flagged_on_the_page()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        using var notifications = fixture.CreateOperatorClient("notification-service");
        var original = await MotoAdmin.GetSecretStringAsync(fixture.Moto, fixture.LocalAwsUrl, RecipientsSecret);
        var recipients = JsonNode.Parse(original)!.AsObject();
        recipients["job_failure_recipients"] = $"ops@surgicase.local,{Bounce}";
        long? alertId = null;
        try
        {
            var version = await MotoAdmin.PutSecretValueAsync(fixture.Moto, fixture.LocalAwsUrl, RecipientsSecret, recipients.ToJsonString());
            await WaitUntilServedAsync(version);
            await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
            string runId;
            try
            {
                runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "weekly-provider-payment-report");
                await fixture.WaitForEmailAsync(e => e.Subject == Subject && e.Body.Contains(runId, StringComparison.Ordinal) && e.To.Contains(Bounce));
            }
            finally
            {
                await fixture.ClearSimulatorFaultsAsync();
            }

            // Re-sent once, naming the address, to the escalation (admin_email here), never to the address that bounced.
            var rebound = await fixture.WaitForEmailAsync(e =>
                e.Subject == $"Bounced: {Bounce} - {Subject}" && e.Body.Contains(runId, StringComparison.Ordinal));
            Assert.Equal(["admin@surgicase.local"], rebound.To);

            // Recorded per recipient on the alert's row.
            alertId = await AlertIdAsync(notifications, runId);
            var record = await notifications.GetFromJsonAsync<JsonObject>($"/notifications/{alertId}");
            var bounced = Assert.Single(record!["deliveries"]!.AsArray().OfType<JsonObject>(), d => d["address"]!.GetValue<string>() == Bounce);
            Assert.Equal("bounced", bounced["outcome"]!.GetValue<string>());
            Assert.True(bounced["permanent"]!.GetValue<bool>());

            // Flagged: listed, /health Degraded, and on the operations page.
            var flagged = await notifications.GetFromJsonAsync<JsonArray>("/notifications/bounced-recipients");
            Assert.Contains(flagged!.OfType<JsonObject>(), f => f["address"]!.GetValue<string>() == Bounce);
            Assert.Equal("Degraded", await HealthCheckStatusAsync(notifications, "recipient-bounces"));
            var overview = WebUtility.HtmlDecode(await OperationsPageSession.SignedInOverviewAsync(fixture));
            Assert.Contains($"data-recipient=\"{Bounce}\" data-outcome=\"bounced\"", overview, StringComparison.Ordinal);
            Assert.Contains("⚑ address bounces", overview, StringComparison.Ordinal);
        }
        finally
        {
            await WaitUntilServedAsync(await MotoAdmin.PutSecretValueAsync(fixture.Moto, fixture.LocalAwsUrl, RecipientsSecret, original));
            using var cleared = await notifications.DeleteAsync($"/notifications/bounced-recipients/{Bounce}");
            if (alertId is { } id)
            {
                // No reminders to the other tests' inboxes.
                using var acknowledged = await notifications.PostAsJsonAsync($"/notifications/{id}/acknowledge", new { by = "BouncedAlertTests" });
            }
        }

        Assert.Equal("Healthy", await HealthCheckStatusAsync(notifications, "recipient-bounces"));
    }

    /// <summary>
    /// Until SecretsService serves the new recipients: a test before this one may have left its breaker open after an
    /// injected outage, and then it serves the last value it had (as it should).
    /// </summary>
    private async Task WaitUntilServedAsync(string version)
    {
        using var secrets = fixture.CreateOperatorClient("secrets-service");
        var deadline = DateTime.UtcNow + SurgiCaseAppFixture.AlertDeadline;
        while (true)
        {
            using (await secrets.PostAsync("/secrets/warm", null))
            {
            }

            var cache = await secrets.GetFromJsonAsync<JsonObject>("/cache");
            if (cache!["entries"]!.AsArray().OfType<JsonObject>().Any(e =>
                    e["name"]!.GetValue<string>() == RecipientsSecret && e["versionId"]?.GetValue<string>() == version))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"SecretsService did not serve version {version} of {RecipientsSecret} in time.");
            await Task.Delay(250);
        }
    }

    private static async Task<long> AlertIdAsync(HttpClient notifications, string runId)
    {
        var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=100");
        foreach (var item in list!.OfType<JsonObject>().Where(i => i["subject"]?.GetValue<string>() == Subject && i["channel"]?.GetValue<string>() == "email"))
        {
            var id = item["id"]!.GetValue<long>();
            if ((await notifications.GetStringAsync($"/notifications/{id}/preview")).Contains(runId, StringComparison.Ordinal))
            {
                return id;
            }
        }

        throw new Xunit.Sdk.XunitException($"No delivery-log row for run {runId}");
    }

    private static async Task<string?> HealthCheckStatusAsync(HttpClient notifications, string check)
    {
        using var response = await notifications.GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonObject>();
        return report!["checks"]![check]!["status"]!.GetValue<string>();
    }
}
