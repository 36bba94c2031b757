using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// One NotificationService replica without its HTTP API: the real SQS consumer and delivery pipeline against
/// moto, on queues named by the test. Two of these on the same queues are two replicas.
/// </summary>
internal sealed class ConsumerHost : IAsyncDisposable
{
    private ConsumerHost(IHost host) => Host = host;

    public IHost Host { get; }

    public IServiceProvider Services => Host.Services;

    public IDeliveryLog Log => Services.GetRequiredService<IDeliveryLog>();

    public IAmazonSQS Sqs => Services.GetRequiredService<IAmazonSQS>();

    /// <summary>Fresh queue names, so a test never sees another's messages.</summary>
    public static MessagingOptions NewQueues()
    {
        var name = $"notify-{Guid.NewGuid():N}"[..22];
        return new MessagingOptions { QueueName = name, DeadLetterQueueName = name + "-dlq" };
    }

    public static async Task<ConsumerHost> StartAsync(
        MotoServer moto,
        MessagingOptions queues,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        // Development: the fallback webhooks here are plain-http loopback listeners (https is required elsewhere).
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Messaging:QueueName"] = queues.QueueName,
            ["Messaging:DeadLetterQueueName"] = queues.DeadLetterQueueName,
            ["Messaging:WaitTimeSeconds"] = "1",
            ["Messaging:MaxRetryBackoffSeconds"] = "0",
            ["Notifications:FallbackRecipients"] = "oncall@surgicase.local",
            ["Notifications:SesRetryBaseDelay"] = "00:00:00.001",
            ["Notifications:ClaimPollInterval"] = "00:00:00.020",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<IRecipientSource>(new FakeRecipientSource());
        builder.Services.AddNotificationDelivery();
        builder.Services.AddSqsJobEventConsumer<JobEventNotificationHandler>();
        builder.Services.AddSqsJobEventPublisher(); // the test publishes through the replica's own SQS client
        configure?.Invoke(builder.Services);

        var host = builder.Build();
        await SqsQueueProvisioner.EnsureQueuesAsync(host.Services.GetRequiredService<IAmazonSQS>(), queues);
        await host.StartAsync();
        return new ConsumerHost(host);
    }

    public async Task<(int Visible, int InFlight)> CountsAsync(string queueName)
    {
        var url = (await Sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages, QueueAttributeName.ApproximateNumberOfMessagesNotVisible],
        });
        return (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }

    /// <summary>Every message in a queue, read without deleting (each stays invisible for a minute).</summary>
    public async Task<List<Message>> PeekAllAsync(string queueName)
    {
        var url = (await Sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var all = new List<Message>();
        while (true)
        {
            var response = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url, MaxNumberOfMessages = 10, WaitTimeSeconds = 0, VisibilityTimeout = 60, MessageAttributeNames = ["All"],
            });
            if (response.Messages is not { Count: > 0 } messages)
            {
                return all;
            }

            all.AddRange(messages);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
    }
}
