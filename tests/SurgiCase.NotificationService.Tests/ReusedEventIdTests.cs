using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Messaging;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// Issue 12.8 through the real consumer on moto, on each engine: an event id redelivered with the same content is the
/// normal duplicate (one email); the same id with other content is poison, parked in the DLQ with the reason, not emailed.
/// </summary>
public abstract class ReusedEventIdTests(MotoServer moto) : IAsyncLifetime
{
    protected abstract IDictionary<string, string?> StorageSettings { get; }

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public virtual Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_same_id_with_the_same_content_is_one_email_and_with_other_content_is_poison_in_the_DLQ()
    {
        var queues = ConsumerHost.NewQueues();
        var settings = new Dictionary<string, string?>(StorageSettings)
        {
            // A retried message would come back only after minutes: finding it in the DLQ within seconds is the poison path.
            ["Messaging:MaxRetryBackoffSeconds"] = "300",
            ["Messaging:MaxReceiveCount"] = "5",
        };
        await using var host = await ConsumerHost.StartAsync(moto, queues, settings);
        var publisher = host.Services.GetRequiredService<IJobEventPublisher>();
        var original = TestEvents.Failed();

        await publisher.PublishAsync(original);
        await publisher.PublishAsync(original with { }); // a redelivery: same id, same content
        await WaitAsync(async () => (await host.CountsAsync(queues.QueueName)) == (0, 0) && (await moto.GetSentEmailsAsync()).Count == 1);

        var reused = original with { ErrorMessage = "Connection refused (another failure under the same id)" };
        await publisher.PublishAsync(reused);
        await WaitAsync(async () => (await host.CountsAsync(queues.DeadLetterQueueName)).Visible == 1);

        var parked = Assert.Single(await host.PeekAllAsync(queues.DeadLetterQueueName));
        Assert.StartsWith("event id reused with different content", parked.MessageAttributes["poison-reason"].StringValue, StringComparison.Ordinal);
        Assert.Contains("Connection refused", parked.Body, StringComparison.Ordinal);
        Assert.Equal((0, 0), await host.CountsAsync(queues.QueueName));

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Contains("API returned 500 Internal Server Error", email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Connection refused", email.Body, StringComparison.Ordinal);
        var record = Assert.Single(await host.Log.ListAsync(100, CancellationToken.None), r => r.EventId == original.EventId);
        Assert.Equal(("sent", 1), (record.Status, record.Attempts));
    }

    private static async Task WaitAsync(Func<Task<bool>> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !await done())
        {
            await Task.Delay(100);
        }

        Assert.True(await done(), "timed out");
    }
}

[Collection(MotoCollection.Name)]
public sealed class SqliteReusedEventIdTests(MotoServer moto) : ReusedEventIdTests(moto)
{
    private readonly TempDirectory _dir = new();

    protected override IDictionary<string, string?> StorageSettings => new Dictionary<string, string?> { ["Notifications:DataDirectory"] = _dir.Path };

    public override Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

[Collection(MotoCollection.Name)]
public sealed class PostgresReusedEventIdTests(MotoServer moto, PostgresTestDatabase database) : ReusedEventIdTests(moto), IClassFixture<PostgresTestDatabase>
{
    protected override IDictionary<string, string?> StorageSettings =>
        new Dictionary<string, string?> { ["ConnectionStrings:Notifications"] = database.Notifications };
}
