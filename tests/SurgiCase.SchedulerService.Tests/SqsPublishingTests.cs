using System.Text.Json;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The real SQS publisher on moto: a failed run puts one job-failed.v1 message in the queue, in the run's trace.</summary>
public sealed class SqsPublishingTests(MotoServer moto) : IClassFixture<MotoServer>, IAsyncLifetime
{
    private readonly SimulatorHost _simulator = new();
    private readonly string _queueName = "scheduler-tests-" + Guid.NewGuid().ToString("N")[..8];
    private AmazonSQSClient _sqs = null!;

    public async Task InitializeAsync()
    {
        await _simulator.InitializeAsync();
        _sqs = new AmazonSQSClient(
            new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = moto.Url.ToString(), AuthenticationRegion = "us-east-1" });
        await SqsQueueProvisioner.EnsureQueuesAsync(_sqs, new MessagingOptions
        {
            QueueName = _queueName,
            DeadLetterQueueName = _queueName + "-dlq",
        });
    }

    public async Task DisposeAsync()
    {
        _sqs.Dispose();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task A_500_puts_one_JobFailed_with_the_seed_wording_in_the_queue()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Messaging:QueueName"] = _queueName,
            ["Messaging:DeadLetterQueueName"] = _queueName + "-dlq",
        });
        using var client = app.CreateOperatorClient();
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });

        var runId = await app.RunAsync(client, "weekly-provider-payment-report");
        var run = await SchedulerApp.WaitFinishedAsync(client, runId);
        Assert.Equal(RunOutcomes.Failed, run.Outcome);

        var queueUrl = (await _sqs.GetQueueUrlAsync(_queueName)).QueueUrl;
        var received = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            WaitTimeSeconds = 5,
            MaxNumberOfMessages = 10,
            MessageAttributeNames = ["All"],
        });
        var message = Assert.Single(received.Messages);
        Assert.Equal(MessageTypes.JobFailed, message.MessageAttributes[MessageTypes.AttributeName].StringValue);
        using var body = JsonDocument.Parse(message.Body);
        Assert.Equal("Provider payment report failed with HTTP status 500", body.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("HttpStatus", body.RootElement.GetProperty("errorKind").GetString());
        Assert.Equal(runId, body.RootElement.GetProperty("runId").GetString());
        Assert.Equal("Weekly Provider Payment Report", body.RootElement.GetProperty("jobName").GetString());

        // W3C traceparent "00-<trace id>-<span id>-<flags>": the consumer will continue the run's trace.
        var traceParent = message.MessageAttributes["traceparent"].StringValue;
        Assert.Equal(run.TraceId, traceParent.Split('-')[1]);
    }
}
