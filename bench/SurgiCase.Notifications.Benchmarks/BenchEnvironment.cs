using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>One moto for the whole run, fresh queues per measurement, and the clients both sides share.</summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    public const string Sender = "alerts@surgicase.local";
    public static readonly string[] Recipients = ["ops@surgicase.local", "admin@surgicase.local"];

    private readonly ServiceProvider _services;

    private BenchEnvironment(MotoServer moto, ServiceProvider services)
    {
        Moto = moto;
        _services = services;
        Sqs = SqsClientFactory.Create(AwsOptions);
    }

    public MotoServer Moto { get; }

    public IAmazonSQS Sqs { get; }

    public ISesEmailClient Ses => _services.GetRequiredService<ISesEmailClient>();

    public AwsOptions AwsOptions => new() { ServiceUrl = Moto.Url, Region = "us-east-1", AccessKeyId = "test", SecretAccessKey = "test" };

    public Dictionary<string, string?> AwsSettings => new()
    {
        ["Aws:ServiceUrl"] = Moto.Url.ToString(),
        ["Aws:Region"] = "us-east-1",
        ["Aws:AccessKeyId"] = "test",
        ["Aws:SecretAccessKey"] = "test",
    };

    public static async Task<BenchEnvironment> StartAsync()
    {
        var moto = new MotoServer();
        await moto.InitializeAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
        }).Build());
        services.AddLogging();
        services.AddSesEmailClient();
        return new BenchEnvironment(moto, services.BuildServiceProvider());
    }

    /// <summary>Clears moto (its SQS and SES state grow with every run and slow it down), verifies the sender, makes fresh queues with N events.</summary>
    public async Task<(MessagingOptions Queues, string QueueUrl)> PrepareAsync(string label, int messages)
    {
        await Moto.ResetAsync();
        await MotoAdmin.VerifyEmailIdentityAsync(Moto.Http, Moto.Url, Sender);
        var name = $"bench-{label}-{Guid.NewGuid():N}"[..30];
        var queues = new MessagingOptions { QueueName = name, DeadLetterQueueName = name + "-dlq" };
        var urls = await SqsQueueProvisioner.EnsureQueuesAsync(Sqs, queues);
        for (var i = 0; i < messages; i += 10)
        {
            var entries = Enumerable.Range(i, Math.Min(10, messages - i)).Select(n =>
            {
                var (type, body) = JobEventSerializer.Serialize(BenchEvents.Failed(n));
                return new SendMessageBatchRequestEntry(n.ToString(System.Globalization.CultureInfo.InvariantCulture), body)
                {
                    MessageAttributes = new() { ["message-type"] = new() { DataType = "String", StringValue = type } },
                };
            }).ToList();
            await Sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = urls.QueueUrl, Entries = entries });
        }

        return (queues, urls.QueueUrl);
    }

    public async Task<bool> IsEmptyAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = queueUrl,
            AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages, QueueAttributeName.ApproximateNumberOfMessagesNotVisible],
        });
        return attributes.ApproximateNumberOfMessages == 0 && attributes.ApproximateNumberOfMessagesNotVisible == 0;
    }

    public async ValueTask DisposeAsync()
    {
        Sqs.Dispose();
        await _services.DisposeAsync();
        await Moto.DisposeAsync();
    }
}
