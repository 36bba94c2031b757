using System.Text.Json.Nodes;
using Amazon.SQS.Model;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class PoisonMessageTests(MotoServer moto)
{
    private const int MaxMessageBytes = 2048;

    public static TheoryData<string, string, string> PoisonKinds()
    {
        var valid = JsonNode.Parse(JobEventSerializer.Serialize(SampleEvents.SimpleFailure()).Body)!.AsObject();
        var withoutJobId = valid.DeepClone().AsObject();
        withoutJobId.Remove("jobId");
        var oversize = valid.DeepClone().AsObject();
        oversize["errorMessage"] = new string('x', MaxMessageBytes);
        return new()
        {
            { MessageTypes.JobFailed, "<html>502 Bad Gateway</html>", "body is not JSON" },
            { "job-exploded.v9", valid.ToJsonString(), "unknown message-type 'job-exploded.v9'" },
            // A line break in the type would forge a log line; it never reaches the reason attribute or the logs.
            { "job-exploded\r\nFORGED", valid.ToJsonString(), "unknown message-type 'job-explodedFORGED'" },
            { MessageTypes.JobFailed, withoutJobId.ToJsonString(), "missing required field 'jobId'" },
            { MessageTypes.JobFailed, oversize.ToJsonString(), $"message is larger than {MaxMessageBytes} bytes" },
        };
    }

    [Theory]
    [MemberData(nameof(PoisonKinds))]
    public async Task Poison_goes_to_the_DLQ_at_once_with_its_reason_and_the_consumer_keeps_going(
        string messageType, string body, string reason)
    {
        await using var bed = await MessagingTestBed.StartAsync(moto, new Dictionary<string, string?>
        {
            ["Messaging:MaxMessageBytes"] = MaxMessageBytes.ToString(),
            // A handler failure would come back only after minutes: a DLQ copy within the test is the poison path.
            ["Messaging:MaxRetryBackoffSeconds"] = "300",
            ["Messaging:MaxReceiveCount"] = "5",
        });
        var queueUrl = (await bed.Sqs.GetQueueUrlAsync(bed.QueueName)).QueueUrl;

        await bed.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageAttributes = new() { [MessageTypes.AttributeName] = new() { DataType = "String", StringValue = messageType } },
        });
        var valid = SampleEvents.SimpleFailure();
        await bed.Publisher.PublishAsync(valid);

        var handled = await bed.Probe.NextAsync();
        Assert.Equal(valid, handled.Event);
        var deadLetter = await bed.ReceiveOneAsync(bed.DeadLetterQueueName, TimeSpan.FromSeconds(10));
        Assert.NotNull(deadLetter);
        Assert.Equal(reason, deadLetter.MessageAttributes[JobEventMessageProcessor.PoisonReasonAttribute].StringValue);
        Assert.Equal(messageType, deadLetter.MessageAttributes[MessageTypes.AttributeName].StringValue);
        Assert.Equal(body, deadLetter.Body);
        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)), "poison was not deleted from the main queue");
        Assert.Equal(1, bed.Probe.Calls);
    }
}
