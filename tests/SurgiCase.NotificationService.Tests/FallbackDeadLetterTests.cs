using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The whole path through the real consumer: SES down for good → webhook → DLQ at once, with the reason.</summary>
[Collection(MotoCollection.Name)]
public sealed class FallbackDeadLetterTests(MotoServer moto) : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task After_the_webhook_took_the_alert_the_message_is_in_the_DLQ_at_once_with_the_reason()
    {
        await moto.ResetAsync(); // no verified sender: SES answers MessageRejected, a permanent error
        using var webhook = new WebhookListener();
        var queues = ConsumerHost.NewQueues();
        await using var host = await ConsumerHost.StartAsync(moto, queues, new Dictionary<string, string?>
        {
            ["Notifications:DataDirectory"] = _dir.Path,
            ["Notifications:Webhook:Url"] = webhook.Url.ToString(),
            // A retried message would come back only after minutes, and reach the DLQ after 5 receives:
            // finding it there within seconds is the immediate path.
            ["Messaging:MaxRetryBackoffSeconds"] = "300",
            ["Messaging:MaxReceiveCount"] = "5",
        });
        var failed = TestEvents.Failed();
        await host.Services.GetRequiredService<IJobEventPublisher>().PublishAsync(failed);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && (await host.CountsAsync(queues.DeadLetterQueueName)).Visible == 0)
        {
            await Task.Delay(100);
        }

        var parked = Assert.Single(await host.PeekAllAsync(queues.DeadLetterQueueName));
        Assert.Equal(
            "email failed (SES MessageRejected (400)); alert sent to the fallback webhook",
            parked.MessageAttributes["dead-letter-reason"].StringValue);
        Assert.Equal(MessageTypes.JobFailed, parked.MessageAttributes[MessageTypes.AttributeName].StringValue);
        Assert.Contains(failed.EventId, parked.Body, StringComparison.Ordinal);
        Assert.Equal((0, 0), await host.CountsAsync(queues.QueueName));

        Assert.Contains("Scheduled Job Failed - Weekly Provider Payment Report", Assert.Single(webhook.Drain()), StringComparison.Ordinal);
        Assert.Empty(await moto.GetSentEmailsAsync());
        var record = Assert.Single(await host.Log.ListAsync(5, CancellationToken.None));
        Assert.Equal(("fallback-sent", "webhook", 1), (record.Status, record.Channel, record.Attempts));
    }

    public void Dispose() => _dir.Dispose();
}
