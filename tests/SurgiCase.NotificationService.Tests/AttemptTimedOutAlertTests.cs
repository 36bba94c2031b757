using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The early warning of a critical job's first timed-out attempt (<c>job-failed.v1</c> with <c>retryAt</c>): its own
/// subject, a warning without acknowledgement or reminders, and outside the storm accounting of the job's real failures.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AttemptTimedOutAlertTests(MotoServer moto) : IAsyncLifetime
{
    private const string WarningSubject = "⚠️ Scheduled Job Attempt Timed Out, Retrying - Weekly Provider Payment Report";
    private static readonly RenderContext Context = new("0af7651916cd43dd8448eb211c80319c", new Uri("http://localhost:5100/"));

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JobFailed Warning(TimeSpan after, string runId = "run-20251020-0900") =>
        TestEvents.Failed(errorKind: ErrorKinds.Timeout,
                errorMessage: "Provider payment report: attempt 1 of 3 timed out after 5 minutes; retrying at 2025-10-20 09:05:16 UTC") with
        {
            OccurredAt = TestEvents.At + after, RunId = runId, Attempt = 1, Severity = Severities.Warning,
            RetryAt = TestEvents.At + after + TimeSpan.FromSeconds(11), MaxAttempts = 3,
        };

    private static JobFailed FinalTimeout(TimeSpan after, string runId = "run-20251020-0900") =>
        TestEvents.Failed(errorKind: ErrorKinds.Timeout, errorMessage: "Provider payment report timed out (>5 minutes)") with
        {
            OccurredAt = TestEvents.At + after, RunId = runId, Severity = Severities.Critical,
        };

    [Fact]
    public void The_warning_has_its_own_subject_says_when_the_run_retries_and_escapes_the_error()
    {
        var warning = Warning(TimeSpan.Zero) with { ErrorMessage = "attempt 1 of 3 timed out <script>alert(1)</script>" };

        var email = EmailRenderer.Render(warning, Context);

        Assert.Equal(WarningSubject, email.Subject);
        Assert.Contains("<td style=\"background:#e65100;color:#ffffff;", email.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", email.Html, StringComparison.Ordinal);
        Assert.Contains("it retries at 2025-10-20 09:00:16 UTC (attempt 2 of 3)", email.Html, StringComparison.Ordinal);
        Assert.StartsWith(WarningSubject, email.Text, StringComparison.Ordinal);
        Assert.Contains("it retries at 2025-10-20 09:00:16 UTC (attempt 2 of 3)", email.Text, StringComparison.Ordinal);
        Assert.Contains("1 of 3", email.Text, StringComparison.Ordinal);
        Assert.Equal(AlertSeverity.Warning, AlertSeverities.Of(warning with { Severity = Severities.Critical }));
    }

    [Fact]
    public async Task The_warning_arrives_without_reminders_and_the_final_failure_follows_in_its_own_email()
    {
        await using var harness = DeliveryHarness.Create(moto);

        await harness.HandleAsync(Warning(TimeSpan.FromMinutes(5)));
        await harness.HandleAsync(FinalTimeout(TimeSpan.FromMinutes(6)));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal([WarningSubject, "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report"], emails.Select(e => e.Subject));
        Assert.Contains("attempt 1 of 3 timed out after 5 minutes; retrying at", emails[0].Body, StringComparison.Ordinal);
        Assert.DoesNotContain("/ack/", emails[0].Body, StringComparison.Ordinal);

        var records = (await harness.Log.ListAsync(10, CancellationToken.None)).OrderBy(r => r.Id).ToList();
        Assert.Equal([(DeliveryLogTypes.AttemptTimedOut, "warning"), (MessageTypes.JobFailed, "critical")],
            records.Select(r => (r.MessageType, r.Severity)));
        Assert.Null((await harness.Log.GetAsync(records[0].Id, CancellationToken.None))!.NextReminderAt);
        Assert.NotNull((await harness.Log.GetAsync(records[1].Id, CancellationToken.None))!.NextReminderAt);
    }

    [Fact]
    public async Task Warnings_never_fold_and_a_later_runs_failure_folds_against_the_last_real_failure()
    {
        await using var harness = DeliveryHarness.Create(moto);

        await harness.HandleAsync(FinalTimeout(TimeSpan.Zero, "run-1"));
        await harness.HandleAsync(Warning(TimeSpan.FromMinutes(10), "run-2"));
        await harness.HandleAsync(FinalTimeout(TimeSpan.FromMinutes(16), "run-2"));
        await harness.HandleAsync(Warning(TimeSpan.FromMinutes(20), "run-3"));

        // run-2's failure repeats run-1's inside the storm window: folded, although its own warning went out just before.
        var subjects = (await moto.GetSentEmailsAsync()).Select(e => e.Subject).ToList();
        Assert.Equal(["🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", WarningSubject, WarningSubject], subjects);
        var records = (await harness.Log.ListAsync(10, CancellationToken.None)).OrderBy(r => r.Id).ToList();
        Assert.Equal(["sent", "sent", "suppressed", "sent"], records.Select(r => r.Status));

        // The next real alert counts the folded repeat since run-1's email, not since a warning.
        await harness.HandleAsync(FinalTimeout(TimeSpan.FromMinutes(70), "run-3"));
        var last = (await moto.GetSentEmailsAsync())[^1];
        Assert.Contains("This job failed 1 more time since 2025-10-20 09:00:05 UTC", last.Body, StringComparison.Ordinal);
    }
}
