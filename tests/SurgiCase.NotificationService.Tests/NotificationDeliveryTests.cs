using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;
using SurgiCase.Aws;

namespace SurgiCase.NotificationService.Tests;

[Collection(MotoCollection.Name)]
public sealed class NotificationDeliveryTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task One_job_failure_becomes_one_email_to_the_secret_recipients()
    {
        await using var harness = DeliveryHarness.Create(moto);
        var failed = TestEvents.Failed();

        await harness.HandleAsync(failed);

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", email.Subject);
        Assert.Equal(["ops@surgicase.local", "admin@surgicase.local"], email.To);
        Assert.Equal(MotoCollection.Sender, email.Source);
        Assert.Contains("API returned 500 Internal Server Error", email.Body, StringComparison.Ordinal);
        Assert.Contains("run-20251020-0900", email.Body, StringComparison.Ordinal);

        var record = Assert.Single(await harness.Log.ListAsync(10, CancellationToken.None));
        Assert.Equal((failed.EventId, "sent", "email", 1), (record.EventId, record.Status, record.Channel, record.Attempts));
        Assert.False(string.IsNullOrEmpty(record.SesMessageId));
    }

    [Fact]
    public async Task The_same_event_delivered_100_times_sends_one_email()
    {
        await using var harness = DeliveryHarness.Create(moto);
        var failed = TestEvents.Failed();

        // Half one after another (redelivery), half at once (several consumers, which wait on the live claim).
        for (var i = 0; i < 50; i++)
        {
            await harness.HandleAsync(failed, receiveCount: i + 1);
        }

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            try
            {
                await harness.HandleAsync(failed);
                return true;
            }
            catch (AlertNotEmailedException)
            {
                return false;
            }
        }));

        Assert.All(concurrent, Assert.True);
        Assert.Single(await moto.GetSentEmailsAsync());
    }

    [Fact]
    public async Task Concurrent_first_deliveries_wait_for_the_one_that_sends()
    {
        await using var harness = DeliveryHarness.Create(moto);
        var failed = TestEvents.Failed();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => harness.HandleAsync(failed)));

        Assert.Single(await moto.GetSentEmailsAsync());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_redelivery_takes_over_the_claim_of_a_consumer_that_died_mid_send(bool diedAfterCallingSes)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var harness = DeliveryHarness.Create(
            moto,
            new Dictionary<string, string?> { ["Notifications:ClaimPollInterval"] = "00:00:01" },
            services => services.AddSingleton<TimeProvider>(time));
        var failed = TestEvents.Failed();

        // A replica claimed the event, then died: before calling SES, or after calling it and before recording the answer.
        var dead = await harness.Log.TryClaimAsync(
            new ClaimRequest(failed.EventId, "job-failed.v1", failed.JobId, failed.JobName, failed.ErrorKind, failed.OccurredAt), CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, dead.Outcome);
        if (diedAfterCallingSes)
        {
            Assert.True(await harness.Log.MarkInFlightAsync(dead, CancellationToken.None));
        }

        // The redelivery waits on the live claim; however far this replica's own clock runs, the lease is the database's.
        var redelivery = harness.HandleAsync(failed, receiveCount: 2);
        for (var i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(redelivery, Task.Delay(20));
            Assert.False(redelivery.IsCompleted);
            Assert.Empty(await moto.GetSentEmailsAsync());
        }

        // The database's clock passes the lease; the next look takes the claim over and sends.
        await using (var db = await harness.Services.GetRequiredService<SqlDatabase>().OpenAsync(CancellationToken.None))
        {
            await db.ExecuteAsync("UPDATE delivery_log SET lease_expires = lease_expires - 86400 WHERE event_id = @EventId", new { failed.EventId });
        }

        // A redelivery that never finishes must fail the test, not hang the run: 30 s of real time, the fake clock
        // moving on meanwhile.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!redelivery.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the redelivery did not finish after the lease passed");
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(redelivery, Task.Delay(50));
        }

        await redelivery;
        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(diedAfterCallingSes, email.Body.Contains("Possible repeat: an earlier attempt may have been delivered", StringComparison.Ordinal));
        var record = Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None));
        Assert.Equal(("sent", 2), (record.Status, record.Attempts));
        Assert.Equal(diedAfterCallingSes, record.Note?.Contains("Possible repeat", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_lease_shorter_than_the_slowest_delivery_stops_start_up_naming_the_key()
    {
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { ["Notifications:ClaimLease"] = "00:01:00" });

        var error = Assert.Throws<OptionsValidationException>(() => harness.Services.GetRequiredService<IOptions<NotificationOptions>>().Value);

        // The harness's SES backoff is 1 ms (3 attempts: 1 + 2 ms), so: 5 + 30 + 0.003 + 10 + 30.
        Assert.Contains("Notifications:ClaimLease (60 s) is shorter than the slowest delivery the configured timeouts allow (75.003 s = ", error.Message, StringComparison.Ordinal);
        Assert.Contains("SES (3 x Aws:RequestTimeout) 30 s + SES backoff 0.003 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_recipients_fall_back_to_admin_email_and_the_email_says_so()
    {
        await using var harness = DeliveryHarness.Create(moto);
        harness.Recipients.Settings = new RecipientSettings(null, "admin@surgicase.local");

        await harness.HandleAsync(TestEvents.Failed());

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(["admin@surgicase.local"], email.To);
        Assert.Contains("Sent to admin_email because job_failure_recipients", email.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_missing_fall_back_to_the_configured_list_and_the_note()
    {
        await using var harness = DeliveryHarness.Create(moto);
        harness.Recipients.Settings = new RecipientSettings(null, null);

        await harness.HandleAsync(TestEvents.Failed());

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(["oncall@surgicase.local"], email.To);
        Assert.Contains("Notifications:FallbackRecipients", email.Body, StringComparison.Ordinal);
        var record = Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None));
        Assert.NotNull(record.Note);
    }

    [Fact]
    public async Task Invalid_and_crlf_addresses_never_reach_ses()
    {
        await using var harness = DeliveryHarness.Create(moto);
        harness.Recipients.Settings = new RecipientSettings("ops@surgicase.local\r\nBcc: evil@example.com,bad address,ok@surgicase.local", null);

        await harness.HandleAsync(TestEvents.Failed());

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(["ok@surgicase.local"], email.To);
        Assert.DoesNotContain("evil@example.com", email.RawJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_three_times_is_retried_and_delivered()
    {
        var faults = AwsFaultPlan.FirstCalls(3, AwsFault.Throttling);
        await using var harness = DeliveryHarness.Create(
            moto,
            new Dictionary<string, string?> { ["Notifications:SesMaxAttempts"] = "4" },
            services => services.AddAwsHttpHandler(AwsServiceNames.Ses, _ => faults.CreateHandler()));

        await harness.HandleAsync(TestEvents.Failed());

        Assert.Equal(4, faults.Calls);
        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal("sent", Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Ses_failing_for_good_sends_the_alert_to_the_webhook_and_dead_letters_the_message()
    {
        await moto.ResetAsync(); // no verified sender: SES answers MessageRejected, a permanent error
        using var webhook = new WebhookListener();
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { ["Notifications:Webhook:Url"] = webhook.Url.ToString() });
        var failed = TestEvents.Failed(errorMessage: "<script>x</script> & co");

        var deadLetter = await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => harness.HandleAsync(failed));
        Assert.Equal("email failed (SES MessageRejected (400)); alert sent to the fallback webhook", deadLetter.Reason);

        var body = Assert.Single(webhook.Drain());
        Assert.Contains("Scheduled Job Failed - Weekly Provider Payment Report", body, StringComparison.Ordinal);
        Assert.Contains("MessageRejected", body, StringComparison.Ordinal);
        Assert.Empty(await moto.GetSentEmailsAsync());
        var record = Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None));
        Assert.Equal(("fallback-sent", "webhook"), (record.Status, record.Channel));

        // Redelivered (the DLQ copy failed, or a duplicate): dead-lettered again, and the webhook is not called again.
        await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => harness.HandleAsync(failed, receiveCount: 2));
        Assert.Single(webhook.Drain());
        Assert.Equal(HealthStatus.Healthy, (await harness.Health.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task The_webhook_url_can_come_from_a_secret()
    {
        await moto.ResetAsync();
        using var webhook = new WebhookListener();
        var secrets = new FakeSecretsClient(new() { [("surgicase/slack", "webhook_url")] = webhook.Url.ToString() });
        await using var harness = DeliveryHarness.Create(
            moto,
            new Dictionary<string, string?> { ["Notifications:Webhook:SecretName"] = "surgicase/slack" },
            services => services.AddSingleton<SurgiCase.SecretsClient.ISecretsClient>(secrets));

        await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => harness.HandleAsync(TestEvents.Failed()));

        Assert.Contains("Scheduled Job Failed", Assert.Single(webhook.Drain()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_channel_failing_is_unhealthy_until_an_alert_gets_through()
    {
        await moto.ResetAsync();
        using var webhook = new WebhookListener(HttpStatusCode.InternalServerError);
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?>
        {
            ["Notifications:Webhook:Url"] = webhook.Url.ToString(),
            ["Notifications:Webhook:ParallelSeverities"] = "", // the webhook as the fallback only
        });
        var failed = TestEvents.Failed();

        await Assert.ThrowsAsync<AlertNotEmailedException>(() => harness.HandleAsync(failed));
        Assert.Equal(HealthStatus.Unhealthy, (await harness.Health.CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal("failed", Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None)).Status);

        // SES is back: the retried message is emailed, once.
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        await harness.HandleAsync(failed, receiveCount: 2);
        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(HealthStatus.Healthy, (await harness.Health.CheckHealthAsync(new HealthCheckContext())).Status);
        var record = Assert.Single(await harness.Log.ListAsync(1, CancellationToken.None));
        Assert.Equal(("sent", 2), (record.Status, record.Attempts));
    }

    [Fact]
    public async Task The_email_carries_the_trace_id_of_the_span_that_handled_it()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("test.consumer");
        await using var harness = DeliveryHarness.Create(moto);

        string traceId;
        using (var consumerSpan = source.StartActivity("process", ActivityKind.Consumer))
        {
            traceId = consumerSpan!.TraceId.ToHexString();
            await harness.HandleAsync(TestEvents.Failed());
        }

        Assert.Contains(traceId, Assert.Single(await moto.GetSentEmailsAsync()).Body, StringComparison.Ordinal);
    }
}
