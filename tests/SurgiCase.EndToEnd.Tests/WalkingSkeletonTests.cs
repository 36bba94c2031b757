using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>A failed job becomes one email; a succeeding job sends none. Runs the real AppHost.</summary>
[Collection(SurgiCaseAppCollection.Name)]
public sealed class WalkingSkeletonTests(SurgiCaseAppFixture fixture)
{
    private const string JobId = "weekly-provider-payment-report";
    private const string Subject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report";

    [Fact]
    public async Task Failing_report_job_sends_exactly_one_alert_email_to_the_recipients_in_the_secret()
    {
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 500, path = "/api/reports/provider-payment" });
        try
        {
            using var scheduler = fixture.CreateOperatorClient("scheduler-service");

            var runId = await RunJobNowAsync(scheduler);
            var email = await WaitForAlertAsync(runId);

            var main = JsonNode.Parse(await MotoAdmin.GetSecretStringAsync(fixture.Moto, fixture.LocalAwsUrl, "surgicase/main"))!;
            var recipients = main["job_failure_recipients"]!.GetValue<string>().Split(',', StringSplitOptions.TrimEntries);
            Assert.Equal(recipients.Order(), email.To.Order());
            Assert.Contains("Provider payment report failed with HTTP status 500", email.Body, StringComparison.Ordinal);

            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            Assert.Equal("failed", run["outcome"]!.GetValue<string>());

            // Nothing more arrives for the same run: one event, one email.
            Assert.Single(await SentWithSubjectAsync(), e => e.Body.Contains(runId, StringComparison.Ordinal));
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task Alert_is_sent_in_the_same_trace_as_the_job_run()
    {
        await fixture.SetSimulatorFaultAsync(new { mode = "error", status = 503, path = "/api/reports/provider-payment" });
        try
        {
            using var scheduler = fixture.CreateOperatorClient("scheduler-service");
            var runId = await RunJobNowAsync(scheduler);
            var email = await WaitForAlertAsync(runId);

            // The notification service renders the trace id of its consumer span into the email; it is
            // the job run's trace id only if the SQS hop continued the trace.
            var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);
            var traceId = run["traceId"]!.GetValue<string>();
            Assert.Matches("^[0-9a-f]{32}$", traceId);
            Assert.Contains(traceId, email.Body, StringComparison.Ordinal);
        }
        finally
        {
            await fixture.ClearSimulatorFaultsAsync();
        }
    }

    [Fact]
    public async Task Succeeding_report_job_is_recorded_as_succeeded_and_sends_no_email()
    {
        // A job no other test makes fail: a success after failures would rightly send a "resolved" email.
        await fixture.ClearSimulatorFaultsAsync();
        var before = (await MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl)).Count;
        using var scheduler = fixture.CreateOperatorClient("scheduler-service");

        var runId = await RunJobNowAsync(scheduler, "weekly-referral-report");
        var run = await fixture.WaitForRunToFinishAsync(scheduler, runId);

        Assert.Equal("succeeded", run["outcome"]!.GetValue<string>());

        // An absence is only an answer once whatever the run could have caused has gone all the way through: the
        // scheduler's outbox has nothing pending (an alert would have been published) and the job-events queue is empty
        // (NotificationService has taken and finished every message). Then no email may name the run.
        var drained = DateTime.UtcNow.AddSeconds(60);
        while (await OutboxPendingAsync(scheduler) > 0
            || await MotoAdmin.GetQueueMessageCountAsync(fixture.Moto, fixture.LocalAwsUrl, "surgicase-job-events") > 0)
        {
            Assert.True(DateTime.UtcNow < drained, "the scheduler's outbox or the job-events queue did not drain");
            await Task.Delay(250);
        }

        var emails = await MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl);
        Assert.DoesNotContain(emails.Skip(before), e => e.Body.Contains(runId, StringComparison.Ordinal));
    }

    private static async Task<long> OutboxPendingAsync(HttpClient scheduler)
    {
        var health = await scheduler.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/health");
        return health!["checks"]!["outbox"]!["data"]!["pending"]!.GetValue<long>();
    }

    [Fact]
    public async Task Run_now_without_the_operator_key_is_refused()
    {
        using var anonymous = fixture.App.CreateHttpClient("scheduler-service", "http");
        using var response = await anonymous.PostAsync($"/jobs/{JobId}/run", null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private Task<SentEmail> WaitForAlertAsync(string runId) =>
        fixture.WaitForEmailAsync(e => e.Subject == Subject && e.Body.Contains(runId, StringComparison.Ordinal));

    private async Task<IReadOnlyList<SentEmail>> SentWithSubjectAsync() =>
        (await MotoAdmin.GetSentEmailsAsync(fixture.Moto, fixture.LocalAwsUrl)).Where(e => e.Subject == Subject).ToList();

    private static async Task<string> RunJobNowAsync(HttpClient scheduler, string jobId = JobId)
    {
        using var response = await scheduler.PostAsync($"/jobs/{jobId}/run", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        return body!["runId"]!.GetValue<string>();
    }
}
