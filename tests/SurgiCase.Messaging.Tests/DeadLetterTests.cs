using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

/// <summary>A handler that asks for the DLQ gets it at once, with its reason, and is not retried.</summary>
[Collection(MotoCollection.Name)]
public sealed class DeadLetterTests(MotoServer moto)
{
    [Fact]
    public async Task A_handler_dead_letter_request_moves_the_message_to_the_DLQ_at_once_with_the_reason()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto, new Dictionary<string, string?>
        {
            // A plain handler failure would come back only after minutes and reach the DLQ after 5 receives:
            // a DLQ copy within the test proves the immediate path.
            ["Messaging:MaxRetryBackoffSeconds"] = "300",
            ["Messaging:MaxReceiveCount"] = "5",
        });
        var parked = SampleEvents.SimpleFailure();
        var next = SampleEvents.SimpleFailure();
        bed.Probe.Behavior = (e, _) => e.EventId == parked.EventId
            ? throw new DeadLetterException("email failed (SES MessageRejected); alert sent to the fallback webhook")
            : Task.CompletedTask;

        await bed.Publisher.PublishAsync(parked);
        await bed.Publisher.PublishAsync(next);

        var deadLetter = await bed.ReceiveOneAsync(bed.DeadLetterQueueName, TimeSpan.FromSeconds(15));
        Assert.NotNull(deadLetter);
        Assert.Equal(
            "email failed (SES MessageRejected); alert sent to the fallback webhook",
            deadLetter.MessageAttributes[JobEventMessageProcessor.DeadLetterReasonAttribute].StringValue);
        Assert.False(deadLetter.MessageAttributes.ContainsKey(JobEventMessageProcessor.PoisonReasonAttribute));
        Assert.Equal(MessageTypes.JobFailed, deadLetter.MessageAttributes[MessageTypes.AttributeName].StringValue);
        Assert.Equal(parked, JobEventSerializer.Deserialize(MessageTypes.JobFailed, deadLetter.Body, 262_144));

        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)), "the dead-lettered message was not deleted from the queue");
        var handled = new[] { (await bed.Probe.NextAsync()).Event.EventId, (await bed.Probe.NextAsync()).Event.EventId };
        Assert.Equal(new[] { next.EventId, parked.EventId }.Order(), handled.Order());
        Assert.Equal(2, bed.Probe.Calls);
    }

    [Fact]
    public async Task Poison_messages_carry_the_dead_letter_reason_too()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto);
        var queueUrl = (await bed.Sqs.GetQueueUrlAsync(bed.QueueName)).QueueUrl;
        await bed.Sqs.SendMessageAsync(new Amazon.SQS.Model.SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = "not json",
            MessageAttributes = new() { [MessageTypes.AttributeName] = new() { DataType = "String", StringValue = MessageTypes.JobFailed } },
        });

        var deadLetter = await bed.ReceiveOneAsync(bed.DeadLetterQueueName, TimeSpan.FromSeconds(15));
        Assert.NotNull(deadLetter);
        Assert.Equal("body is not JSON", deadLetter.MessageAttributes[JobEventMessageProcessor.DeadLetterReasonAttribute].StringValue);
        Assert.Equal("body is not JSON", deadLetter.MessageAttributes[JobEventMessageProcessor.PoisonReasonAttribute].StringValue);
    }
}
