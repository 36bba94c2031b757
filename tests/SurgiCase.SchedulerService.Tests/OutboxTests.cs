using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// SQS down while a job fails: the run and its event are stored together, the event waits in the outbox, and once
/// SQS is back it is published exactly once with the eventId it was stored with.
/// </summary>
public abstract class OutboxTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private readonly MotoServer _moto = new();
    private readonly SimulatorHost _simulator = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly MessagingOptions _queues = new()
    {
        QueueName = "outbox-tests-" + Guid.NewGuid().ToString("N")[..8],
        DeadLetterQueueName = "outbox-tests-dlq-" + Guid.NewGuid().ToString("N")[..8],
    };

    private AmazonSQSClient _sqs = null!;

    protected override async Task InitializeTestAsync()
    {
        await _moto.InitializeAsync();
        await _simulator.InitializeAsync();
        _sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = _moto.Url.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        await SqsQueueProvisioner.EnsureQueuesAsync(_sqs, _queues);
    }

    protected override async Task DisposeTestAsync()
    {
        _sqs.Dispose();
        await _simulator.DisposeAsync();
        await _moto.DisposeAsync();
    }

    [Fact]
    public async Task An_event_stored_while_SQS_is_down_is_published_once_with_its_eventId_after_SQS_returns()
    {
        using var app = new SchedulerApp(
            _simulator.BaseAddress,
            SqsSettings().Concat(new Dictionary<string, string?>
            {
                ["Scheduler:Outbox:RetryInitialDelay"] = "00:00:02",
                ["Scheduler:Outbox:RetryMaxDelay"] = "00:00:10",
            }).Concat(Storage),
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_time);
            });
        using var client = app.CreateOperatorClient();
        var outbox = app.Services.GetRequiredService<IOutboxStore>();
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });

        await _moto.StopAsync();
        var runId = await app.RunAsync(client, "weekly-provider-payment-report");
        var run = await SchedulerApp.WaitFinishedAsync(client, runId);
        Assert.Equal(RunOutcomes.Failed, run.Outcome);

        // The dispatcher tries, SQS refuses, the row stays pending with its attempts counted.
        var stored = await PollAsync(async () =>
        {
            var rows = await outbox.ListForRunAsync(runId, default);
            return rows.Count == 1 && rows[0].Attempts >= 1 ? rows[0] : null;
        });
        Assert.Null(stored.PublishedAt);
        Assert.Equal("job-failed.v1", stored.MessageType);

        await _moto.StartAsync();
        await SqsQueueProvisioner.EnsureQueuesAsync(_sqs, _queues);
        var published = await PollAsync(async () =>
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            var rows = await outbox.ListForRunAsync(runId, default);
            return rows[0].PublishedAt is not null ? rows[0] : null;
        });
        Assert.NotNull(published.MessageId);

        // Nothing is left that the dispatcher could send again: no row pending and none due later, so the queue's
        // one message below is the whole answer, not a snapshot taken before a retry.
        Assert.Equal(0, await outbox.CountPendingAsync(default));
        Assert.Null(await outbox.NextDueAsync(default));

        var queueUrl = (await _sqs.GetQueueUrlAsync(_queues.QueueName)).QueueUrl;
        var attributes = await _sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages"]);
        Assert.Equal(1, attributes.ApproximateNumberOfMessages);
        var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1 });
        var message = Assert.Single(received.Messages);
        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal(stored.EventId, body.RootElement.GetProperty("eventId").GetString());
        Assert.Equal(runId, body.RootElement.GetProperty("runId").GetString());
        Assert.Equal(0, await outbox.CountPendingAsync(default));
    }

    [Fact]
    public async Task An_event_too_large_for_SQS_is_parked_and_health_says_so_while_the_next_one_is_published()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, SqsSettings().Concat(Storage));
        using var client = app.CreateOperatorClient();
        var outbox = app.Services.GetRequiredService<IOutboxStore>();

        // A row from before events were capped: 300 KB, over SQS's 256 KiB, so no attempt could ever succeed.
        var body = $$"""{"eventId":"{{Guid.NewGuid()}}","failedItems":["{{new string('x', 300_000)}}"]}""";
        await outbox.AddAsync(new OutboxMessage(Guid.NewGuid().ToString(), "run-too-large", "weekly-provider-payment-report",
            "job-partially-failed.v1", body, null, DateTimeOffset.UtcNow), default);
        app.Services.GetRequiredService<OutboxDispatcher>().Signal();
        var runId = await app.RunAsync(client, "weekly-provider-payment-report");
        await SchedulerApp.WaitFinishedAsync(client, runId);

        var parked = await PollAsync(async () =>
            (await outbox.ListForRunAsync("run-too-large", default)).SingleOrDefault(r => r.LastError is not null));
        Assert.Null(parked.PublishedAt);
        Assert.Contains("over the transport's limit", parked.LastError, StringComparison.Ordinal);
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        var check = health.RootElement.GetProperty("checks").GetProperty("outbox");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.StartsWith("1 event(s) parked in the outbox", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Degraded", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(0, await outbox.CountPendingAsync(default));
    }

    private Dictionary<string, string?> SqsSettings() => new()
    {
        ["Aws:ServiceUrl"] = _moto.Url.ToString(),
        ["Aws:AccessKeyId"] = "test",
        ["Aws:SecretAccessKey"] = "test",
        ["Messaging:QueueName"] = _queues.QueueName,
        ["Messaging:DeadLetterQueueName"] = _queues.DeadLetterQueueName,
    };

    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 60 s");
            await Task.Delay(50);
        }
    }
}

public sealed class OutboxSqliteTests() : OutboxTests(database: null);

/// <summary>The outbox in cluster mode: run, event and claims in PostgreSQL.</summary>
public sealed class OutboxPostgresTests() : OutboxTests(new PostgresTestDatabase());
