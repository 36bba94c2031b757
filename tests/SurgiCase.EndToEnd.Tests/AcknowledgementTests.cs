using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// Issue 11.3 on the real AppHost: a critical alert nobody acknowledges is reminded after the (shortened) interval;
/// following the emailed link (GET shows a form, POST with its antiforgery token acknowledges) stops the reminders, and
/// the delivery log and the page say who acknowledged it.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed partial class AcknowledgementTests(SurgiCaseAppFixture fixture)
{
    private const string Subject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report";
    private const string ByLink = "a recipient of the email (acknowledge link)";

    [Fact]
    public async Task An_unacknowledged_alert_is_reminded_and_the_emailed_link_stops_the_reminders()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        string runId;
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            runId = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, "weekly-provider-payment-report");
            await fixture.WaitForEmailAsync(e => e.Subject == Subject && e.Body.Contains(runId, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }

        // Not acknowledged: the reminder comes after the interval, to the same recipients, with the link.
        var reminder = await fixture.WaitForEmailAsync(e => e.Subject == $"Reminder 1 of 2: {Subject}" && e.Body.Contains(runId, StringComparison.Ordinal));
        var link = AckLink(reminder.Body);

        // A person (no sign-in) follows the link: the GET only asks, the form's POST acknowledges.
        using var person = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });
        var confirm = await person.GetStringAsync(link);
        Assert.Contains("data-acknowledge-state=\"confirm\"", confirm, StringComparison.Ordinal);
        var record = await AlertRecordAsync(runId);
        Assert.Null(record["acknowledgedAt"]?.GetValue<DateTimeOffset?>());

        using var posted = await person.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = OperationsPageSession.AntiforgeryToken(confirm) }));
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Contains("data-acknowledge-state=\"acknowledged\"", await posted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same form posted again (a second tab): the real NotificationService refuses the reused token, and the
        // page says who acknowledged it first.
        using var again = await person.PostAsync(link, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = OperationsPageSession.AntiforgeryToken(confirm) }));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains($"already acknowledged by {ByLink} at", WebUtility.HtmlDecode(await again.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var followUps = await FollowUpCountAsync(runId);

        // No further reminder within two more intervals.
        var deadline = DateTime.UtcNow + SurgiCaseAppFixture.ReminderInterval * 2 + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            Assert.Equal(followUps, await FollowUpCountAsync(runId));
            await Task.Delay(500);
        }

        record = await AlertRecordAsync(runId);
        Assert.Equal(ByLink, record["acknowledgedBy"]!.GetValue<string>());
        Assert.Equal(followUps, record["remindersSent"]!.GetValue<int>());

        // The operations page shows who acknowledged it.
        var overview = await OperationsPageSession.SignedInOverviewAsync(fixture);
        Assert.Contains($"Acknowledged by {ByLink} at", WebUtility.HtmlDecode(overview), StringComparison.Ordinal);
    }

    /// <summary>Reminders and escalations of this run's alert that SES has taken so far.</summary>
    private async Task<int> FollowUpCountAsync(string runId) =>
        (await SurgiCase.Testing.MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl)).Count(e =>
            e.Body.Contains(runId, StringComparison.Ordinal)
            && (e.Subject.StartsWith("Reminder ", StringComparison.Ordinal) || e.Subject.StartsWith("Escalation", StringComparison.Ordinal)));

    private async Task<JsonObject> AlertRecordAsync(string runId)
    {
        using var notifications = fixture.CreateOperatorClient("notification-service");
        var list = await notifications.GetFromJsonAsync<JsonArray>("/notifications?limit=100");
        // The alert's own row: the record of its Slack post beside it has the same subject and body, and is not acknowledgeable.
        foreach (var item in list!.OfType<JsonObject>().Where(i => i["subject"]?.GetValue<string>() == Subject && i["acknowledgeable"]!.GetValue<bool>()))
        {
            var id = item["id"]!.GetValue<long>();
            var text = await notifications.GetStringAsync($"/notifications/{id}/preview");
            if (text.Contains(runId, StringComparison.Ordinal))
            {
                return item;
            }
        }

        throw new Xunit.Sdk.XunitException($"No delivery-log row for run {runId}");
    }

    private static string AckLink(string body) =>
        AckHref().Match(body) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException("no acknowledge link in the email");

    [GeneratedRegex("data-role=\"acknowledge\" href=\"([^\"]+)\"")]
    private static partial Regex AckHref();
}
