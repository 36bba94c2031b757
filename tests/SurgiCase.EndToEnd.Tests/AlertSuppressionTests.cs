using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// Issue 11.2 on the real AppHost with the default one-hour storm window: what a person asked for always reaches them.
/// </summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class AlertSuppressionTests(SurgiCaseAppFixture fixture)
{
    private const string PaymentReport = "weekly-provider-payment-report";
    private const string FailedSubject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report";

    [Fact]
    public async Task A_manual_run_failing_twice_within_two_minutes_sends_two_emails()
    {
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            var started = DateTime.UtcNow;
            var first = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, PaymentReport);
            await fixture.WaitForEmailAsync(e => e.Subject == FailedSubject && e.Body.Contains(first, StringComparison.Ordinal));
            var second = await SurgiCaseAppFixture.RunJobNowAsync(scheduler, PaymentReport);
            await fixture.WaitForEmailAsync(e => e.Subject == FailedSubject && e.Body.Contains(second, StringComparison.Ordinal));

            Assert.True(DateTime.UtcNow - started < TimeSpan.FromMinutes(2), "both runs and their emails should fit in two minutes");
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task Two_test_notifications_are_both_answered_200_and_both_emailed()
    {
        using var notifications = fixture.CreateOperatorClient("notification-service");
        var before = await fixture.SentEmailCountAsync();

        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await notifications.PostAsync("/notifications/test", null);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var record = await response.Content.ReadFromJsonAsync<JsonObject>();
            Assert.Equal("sent", record!["status"]!.GetValue<string>());
            ids.Add(record["id"]!.GetValue<long>());
        }

        Assert.Equal(2, ids.Distinct().Count());
        // 200 means SES accepted the email before the answer, so both are in moto's outbox already.
        var emails = await MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl);
        Assert.Equal(2, emails.Skip(before).Count(e => e.Subject == "🚨 CRITICAL: Scheduled Job Failed - Test Job"));
    }
}
