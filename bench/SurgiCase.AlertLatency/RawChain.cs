using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Aws;
using SurgiCase.Messaging.Sqs;

/// <summary>
/// The floor under an alert: the three AWS calls its path cannot avoid, made straight against moto with the clients
/// the services use (AWSSDK.SQS as the consumer is configured, SurgiCase.Aws's SES v2 client), nothing else between.
/// </summary>
internal static class RawChain
{
    public static async Task<List<double>> MeasureAsync(Uri moto, int runs)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
        };
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddLogging()
            .AddSesEmailClient()
            .BuildServiceProvider();
        await using var _ = services;
        var ses = services.GetRequiredService<ISesEmailClient>();
        using var sqs = SqsClientFactory.Create(services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AwsOptions>>().Value);
        var queueUrl = (await sqs.CreateQueueAsync($"latency-floor-{Guid.NewGuid():N}"[..26])).QueueUrl;

        var body = new string('x', 2_000);
        var timings = new List<double>(runs);
        try
        {
            for (var i = -3; i < runs; i++)
            {
                // The consumer's long poll is already waiting when the event is sent, as NotificationService's is.
                var receive = sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 20, MaxNumberOfMessages = 10 });
                await Task.Delay(50);
                var clock = Stopwatch.StartNew();
                await sqs.SendMessageAsync(queueUrl, body);
                var received = await receive;
                await ses.SendEmailAsync(new EmailMessage("alerts@surgicase.local", ["oncall@surgicase.local"], $"floor {i}", $"<p>{body}</p>", body));
                clock.Stop();
                await sqs.DeleteMessageAsync(queueUrl, received.Messages[0].ReceiptHandle);
                if (i >= 0)
                {
                    timings.Add(clock.Elapsed.TotalMilliseconds);
                }
            }
        }
        finally
        {
            await sqs.DeleteQueueAsync(queueUrl);
        }

        return timings;
    }
}
