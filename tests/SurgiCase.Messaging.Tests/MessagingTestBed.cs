using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// A host with the real publisher and consumer against moto, on queues no other test uses.
/// The queues exist before the host starts unless <c>provision: false</c>.
/// </summary>
public sealed class MessagingTestBed : IAsyncDisposable
{
    private MessagingTestBed(IHost host, string queueName, string deadLetterQueueName)
    {
        Host = host;
        QueueName = queueName;
        DeadLetterQueueName = deadLetterQueueName;
    }

    public IHost Host { get; }

    public string QueueName { get; }

    public string DeadLetterQueueName { get; }

    public HandlerProbe Probe => Host.Services.GetRequiredService<HandlerProbe>();

    public IJobEventPublisher Publisher => Host.Services.GetRequiredService<IJobEventPublisher>();

    public IAmazonSQS Sqs => Host.Services.GetRequiredService<IAmazonSQS>();

    public MessagingOptions Options => Host.Services.GetRequiredService<IOptions<MessagingOptions>>().Value;

    public static async Task<MessagingTestBed> StartAsync(
        MotoServer moto,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null,
        bool provision = true)
    {
        var queueName = $"jobs-{Guid.NewGuid():N}"[..20];
        var deadLetterQueueName = queueName + "-dlq";
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Messaging:QueueName"] = queueName,
            ["Messaging:DeadLetterQueueName"] = deadLetterQueueName,
            ["Messaging:WaitTimeSeconds"] = "1",
            ["Messaging:MaxRetryBackoffSeconds"] = "0",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton<HandlerProbe>();
        builder.Services.AddSqsJobEventPublisher();
        builder.Services.AddSqsJobEventConsumer<ProbeHandler>();
        services?.Invoke(builder.Services);

        var host = builder.Build();
        var bed = new MessagingTestBed(host, queueName, deadLetterQueueName);
        if (provision)
        {
            await bed.ProvisionAsync();
        }

        await host.StartAsync();
        return bed;
    }

    public Task<JobEventQueues> ProvisionAsync() => SqsQueueProvisioner.EnsureQueuesAsync(Sqs, Options);

    public async Task<(int Visible, int NotVisible)> CountsAsync(string queueName)
    {
        var url = (await Sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages, QueueAttributeName.ApproximateNumberOfMessagesNotVisible],
        });
        return (attributes.ApproximateNumberOfMessages, attributes.ApproximateNumberOfMessagesNotVisible);
    }

    /// <summary>Polls a queue (long polling, so no busy wait) until it yields a message or the deadline passes.</summary>
    public async Task<Message?> ReceiveOneAsync(string queueName, TimeSpan timeout)
    {
        var url = (await Sqs.GetQueueUrlAsync(queueName)).QueueUrl;
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var response = await Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url,
                WaitTimeSeconds = 1,
                MaxNumberOfMessages = 1,
                MessageAttributeNames = ["All"],
            });
            if (response.Messages is [var message, ..])
            {
                return message;
            }
        }

        return null;
    }

    /// <summary>Polls until the queue holds no message at all, visible or in flight.</summary>
    public async Task<bool> WaitUntilEmptyAsync(string queueName, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await CountsAsync(queueName) == (0, 0))
            {
                return true;
            }

            await Task.Yield();
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Host.StopAsync(stop.Token);
        Host.Dispose();
    }
}
