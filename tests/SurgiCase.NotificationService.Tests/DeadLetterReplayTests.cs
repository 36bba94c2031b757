using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Sqs;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The DLQ without the AWS CLI (issue 19.4), on the whole service and moto: the listing shows type, job, reason and age;
/// a replay of an alert that never reached email sends it once; replaying one already emailed sends nothing more;
/// replay-all empties the DLQ and /health turns Healthy; replays are audited; other callers are refused.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DeadLetterReplayTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly WebhookListener _webhook = new();
    private readonly MessagingOptions _queues = ConsumerHost.NewQueues();
    private AmazonSQSClient _sqs = null!;
    private WebApplicationFactory<Program> _factory = null!;
    private JobEventQueues _urls = null!;

    public async Task InitializeAsync()
    {
        await moto.ResetAsync(); // no verified sender yet: SES answers MessageRejected, as during an SES outage
        _sqs = new AmazonSQSClient(
            new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = moto.Url.ToString(), AuthenticationRegion = "us-east-1" });
        _urls = await SqsQueueProvisioner.EnsureQueuesAsync(_sqs, _queues);
        _factory = NotificationApp.Create(moto, _dir.Path).WithWebHostBuilder(web =>
        {
            web.UseSetting("Messaging:QueueName", _queues.QueueName);
            web.UseSetting("Messaging:DeadLetterQueueName", _queues.DeadLetterQueueName);
            web.UseSetting("Messaging:MaxRetryBackoffSeconds", "0");
            web.UseSetting("Messaging:DeadLetterHealthCacheSeconds", "0");
            web.UseSetting("Notifications:Webhook:Url", _webhook.Url.ToString());
            web.UseSetting("Notifications:SesRetryBaseDelay", "00:00:00.001");
            web.UseSetting("Notifications:ClaimPollInterval", "00:00:00.020");
        });
        _ = _factory.Server; // starts the consumer
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _sqs.Dispose();
        _webhook.Dispose();
        _dir.Dispose();
    }

    private HttpClient Client(string? key)
    {
        var client = _factory.CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    [Fact]
    public async Task An_alert_dead_lettered_before_its_email_went_out_is_listed_and_emailed_once_on_replay_and_audited()
    {
        var failed = TestEvents.Failed();
        await SendAsync(_urls.QueueUrl, failed);
        await WaitUntilAsync(async () => await CountAsync(_urls.DeadLetterQueueUrl) == (1, 0), "the alert parked in the DLQ after the webhook took it");
        var page = Client(NotificationApp.OperationsPageKey);

        var list = await page.GetFromJsonAsync<JsonElement>("/dead-letters");
        var letter = Assert.Single(list.GetProperty("messages").EnumerateArray());
        Assert.Equal(_queues.DeadLetterQueueName, list.GetProperty("queue").GetString());
        Assert.Equal(MessageTypes.JobFailed, letter.GetProperty("messageType").GetString());
        Assert.Equal((failed.EventId, failed.JobId, failed.JobName), (
            letter.GetProperty("eventId").GetString(), letter.GetProperty("jobId").GetString(), letter.GetProperty("jobName").GetString()));
        Assert.Equal("email failed (SES MessageRejected (400)); alert sent to the fallback webhook", letter.GetProperty("reason").GetString());
        Assert.InRange(letter.GetProperty("ageSeconds").GetInt64(), 0, 60);
        Assert.Equal(("fallback-sent", false), (letter.GetProperty("deliveryStatus").GetString(), letter.GetProperty("poison").GetBoolean()));
        Assert.Equal((1, 0), await CountAsync(_urls.DeadLetterQueueUrl)); // listing gave the message back at once
        Assert.Equal("Degraded", await HealthAsync());

        await moto.VerifyEmailIdentityAsync(MotoCollection.Sender); // SES is back
        var before = DateTimeOffset.UtcNow;
        using var replay = await page.PostAsJsonAsync($"/dead-letters/{failed.EventId}/replay", new { by = "Dana Ops" });
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        await WaitUntilAsync(async () => (await moto.GetSentEmailsAsync()).Count == 1 && await CountAsync(_urls.QueueUrl) == (0, 0), "the replayed alert emailed");

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Contains("Weekly Provider Payment Report", email.Subject, StringComparison.Ordinal);
        Assert.Equal((0, 0), await CountAsync(_urls.DeadLetterQueueUrl));
        Assert.Equal("Healthy", await HealthAsync());
        var audit = Assert.Single((await page.GetFromJsonAsync<JsonElement>("/dead-letters/replays")).EnumerateArray());
        Assert.Equal((failed.EventId, "Dana Ops (operations page)", true), (
            audit.GetProperty("eventId").GetString(), audit.GetProperty("replayedBy").GetString(), audit.GetProperty("reopened").GetBoolean()));
        Assert.InRange(audit.GetProperty("replayedAt").GetDateTimeOffset(), before.AddSeconds(-1), DateTimeOffset.UtcNow);

        // The same event dead-lettered again (a stray copy): its replay is recognised as a duplicate and sends nothing.
        await SendAsync(_urls.DeadLetterQueueUrl, failed, ("dead-letter-reason", "a stray copy"));
        using var again = await Client(NotificationApp.OperatorKey).PostAsync($"/dead-letters/{failed.EventId}/replay", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        await WaitUntilAsync(async () => await CountAsync(_urls.QueueUrl) == (0, 0), "the replayed copy consumed");
        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal((0, 0), await CountAsync(_urls.DeadLetterQueueUrl));
        var audits = (await page.GetFromJsonAsync<JsonElement>("/dead-letters/replays")).EnumerateArray().ToList();
        Assert.Equal(("operator (API)", false), (audits[0].GetProperty("replayedBy").GetString(), audits[0].GetProperty("reopened").GetBoolean()));
    }

    [Fact]
    public async Task Replay_all_sends_each_event_once_empties_the_DLQ_and_health_turns_healthy()
    {
        await moto.VerifyEmailIdentityAsync(MotoCollection.Sender);
        var emailed = TestEvents.Failed();
        await SendAsync(_urls.QueueUrl, emailed);
        await WaitUntilAsync(async () => (await moto.GetSentEmailsAsync()).Count == 1 && await CountAsync(_urls.QueueUrl) == (0, 0), "the first alert emailed");

        // As SQS's redrive leaves them: no reason attribute. One already emailed, two never seen, one of them twice.
        var partial = TestEvents.Partial();
        var recovered = TestEvents.Recovered();
        foreach (var jobEvent in new IJobEvent[] { emailed, partial, recovered, partial })
        {
            await SendAsync(_urls.DeadLetterQueueUrl, jobEvent);
        }

        var listed = await Client(NotificationApp.OperatorKey).GetFromJsonAsync<JsonElement>("/dead-letters?limit=10");
        Assert.Equal(4, listed.GetProperty("messages").GetArrayLength());
        Assert.All(listed.GetProperty("messages").EnumerateArray(), m =>
            Assert.Equal("every delivery attempt failed; SQS moved it after 5 receives", m.GetProperty("reason").GetString()));
        Assert.Equal("Degraded", await HealthAsync());

        using var response = await Client(NotificationApp.OperationsPageKey).PostAsJsonAsync("/dead-letters/replay-all", new { by = "Dana Ops" });
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((3, 1, 0, 0), (report.GetProperty("replayed").GetArrayLength(), report.GetProperty("duplicatesRemoved").GetInt32(),
            report.GetProperty("skippedPoison").GetInt32(), report.GetProperty("remaining").GetInt32()));

        await WaitUntilAsync(async () => (await moto.GetSentEmailsAsync()).Count == 3 && await CountAsync(_urls.QueueUrl) == (0, 0), "the two new alerts emailed");
        Assert.Equal((0, 0), await CountAsync(_urls.DeadLetterQueueUrl));
        Assert.Equal("Healthy", await HealthAsync());
        Assert.Equal(3, (await Client(NotificationApp.OperatorKey).GetFromJsonAsync<JsonElement>("/dead-letters/replays")).GetArrayLength());
    }

    [Fact]
    public async Task A_poison_message_is_listed_and_not_replayed()
    {
        await _sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = _urls.DeadLetterQueueUrl, MessageBody = "not json",
            MessageAttributes = new() { [MessageTypes.AttributeName] = new() { DataType = "String", StringValue = MessageTypes.JobFailed } },
        });
        var client = Client(NotificationApp.OperatorKey);

        var letter = Assert.Single((await client.GetFromJsonAsync<JsonElement>("/dead-letters")).GetProperty("messages").EnumerateArray());
        using var one = await client.PostAsync($"/dead-letters/{letter.GetProperty("messageId").GetString()}/replay", null);
        using var all = await client.PostAsync("/dead-letters/replay-all", null);

        Assert.True(letter.GetProperty("poison").GetBoolean());
        Assert.Equal(HttpStatusCode.Conflict, one.StatusCode);
        Assert.Equal(1, (await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("skippedPoison").GetInt32());
        Assert.Equal((1, 0), await CountAsync(_urls.DeadLetterQueueUrl));
        using var unknown = await client.PostAsync("/dead-letters/no-such-message/replay", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData(NotificationApp.OtherCallerKey, HttpStatusCode.Forbidden)]
    public async Task Callers_without_the_right_are_refused(string? key, HttpStatusCode expected)
    {
        await SendAsync(_urls.DeadLetterQueueUrl, TestEvents.Failed());
        var client = Client(key);

        using var list = await client.GetAsync("/dead-letters");
        using var one = await client.PostAsync("/dead-letters/x/replay", null);
        using var all = await client.PostAsync("/dead-letters/replay-all", null);
        using var audit = await client.GetAsync("/dead-letters/replays");

        Assert.Equal([expected, expected, expected, expected], new[] { list.StatusCode, one.StatusCode, all.StatusCode, audit.StatusCode });
        Assert.Equal((1, 0), await CountAsync(_urls.DeadLetterQueueUrl));
    }

    private async Task SendAsync(string queueUrl, IJobEvent jobEvent, params (string Name, string Value)[] extra)
    {
        var (messageType, body) = JobEventSerializer.Serialize(jobEvent);
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            [MessageTypes.AttributeName] = new() { DataType = "String", StringValue = messageType },
        };
        foreach (var (name, value) in extra)
        {
            attributes[name] = new() { DataType = "String", StringValue = value };
        }

        await _sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body, MessageAttributes = attributes });
    }

    private async Task<(int Visible, int InFlight)> CountAsync(string queueUrl)
    {
        var attributes = await _sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages, QueueAttributeName.ApproximateNumberOfMessagesNotVisible],
        });
        return (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }

    private async Task<string?> HealthAsync()
    {
        using var response = await Client(NotificationApp.OperatorKey).GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return report.GetProperty("checks").GetProperty("dead-letter-queue").GetProperty("status").GetString();
    }

    /// <summary>Polls a positive signal (moto has no push), failing with what was awaited.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }
}
