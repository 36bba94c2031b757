using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class PublishConsumeTests(MotoServer moto)
{
    [Fact]
    public async Task Published_event_reaches_the_handler_equal_and_is_then_deleted()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto);
        var sent = SampleEvents.SimpleFailure();

        var messageId = await bed.Publisher.PublishAsync(sent);

        var handled = await bed.Probe.NextAsync();
        Assert.Equal(sent, handled.Event);
        Assert.Equal(messageId, handled.Delivery.MessageId);
        Assert.Equal(1, handled.Delivery.ReceiveCount);
        Assert.NotNull(handled.Delivery.SentAt);
        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)), "the handled message was not deleted");
        Assert.Equal(1, bed.Probe.Calls);
    }

    [Fact]
    public async Task Every_event_type_is_handled()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto);
        IJobEvent[] sent = [SampleEvents.FullFailure(), SampleEvents.PartialFailure(), SampleEvents.Recovery()];

        foreach (var jobEvent in sent)
        {
            await bed.Publisher.PublishAsync(jobEvent);
        }

        var received = new List<IJobEvent>();
        for (var i = 0; i < sent.Length; i++)
        {
            received.Add((await bed.Probe.NextAsync()).Event);
        }

        foreach (var jobEvent in sent)
        {
            Assert.Equivalent(jobEvent, Assert.Single(received, r => r.EventId == jobEvent.EventId), strict: true);
        }
    }

    [Fact]
    public async Task Failing_handler_leaves_the_message_until_SQS_moves_it_to_the_DLQ()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto, new Dictionary<string, string?>
        {
            ["Messaging:MaxReceiveCount"] = "2",
        });
        bed.Probe.Behavior = (_, _) => throw new InvalidOperationException("SES is down");
        var sent = SampleEvents.SimpleFailure();

        await bed.Publisher.PublishAsync(sent);

        var deadLetter = await bed.ReceiveOneAsync(bed.DeadLetterQueueName, TimeSpan.FromSeconds(30));
        Assert.NotNull(deadLetter);
        Assert.Equal(sent, JobEventSerializer.Deserialize(deadLetter.MessageAttributes[MessageTypes.AttributeName].StringValue, deadLetter.Body));
        Assert.False(deadLetter.MessageAttributes.ContainsKey(JobEventMessageProcessor.PoisonReasonAttribute));
        Assert.Equal(2, bed.Probe.Calls);
        var first = await bed.Probe.NextAsync();
        var second = await bed.Probe.NextAsync();
        Assert.Equal([1, 2], new[] { first.Delivery.ReceiveCount, second.Delivery.ReceiveCount });
        Assert.Equal((0, 0), await bed.CountsAsync(bed.QueueName));
    }

    [Fact]
    public async Task Failed_message_comes_back_after_the_backoff_not_the_visibility_timeout()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto, new Dictionary<string, string?>
        {
            ["Messaging:MaxRetryBackoffSeconds"] = "1",
            ["Messaging:VisibilityTimeoutSeconds"] = "60",
        });
        var failures = 0;
        bed.Probe.Behavior = (_, _) => Interlocked.Increment(ref failures) == 1
            ? throw new InvalidOperationException("SES is down")
            : Task.CompletedTask;

        await bed.Publisher.PublishAsync(SampleEvents.SimpleFailure());

        var first = await bed.Probe.NextAsync();
        var second = await bed.Probe.NextAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(1, first.Delivery.ReceiveCount);
        Assert.Equal(2, second.Delivery.ReceiveCount);
        Assert.True(await bed.WaitUntilEmptyAsync(bed.QueueName, TimeSpan.FromSeconds(10)));
    }
}
