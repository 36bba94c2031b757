using System.Collections.Concurrent;
using System.Diagnostics;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class TracePropagationTests : IDisposable
{
    private static readonly ActivitySource TestSource = new("SurgiCase.Messaging.Tests");

    private readonly MotoServer _moto;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly SemaphoreSlim _spanEnded = new(0);
    private readonly ActivityListener _listener;

    public TracePropagationTests(MotoServer moto)
    {
        _moto = moto;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MessagingDiagnostics.ActivitySourceName || source == TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _stopped.Enqueue(activity);
                _spanEnded.Release();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task Consumer_span_continues_the_publisher_trace_with_the_send_span_as_parent()
    {
        await using var bed = await MessagingTestBed.StartAsync(_moto);
        var sent = SampleEvents.SimpleFailure();

        ActivityTraceId traceId;
        string messageId;
        using (var parent = TestSource.StartActivity("scheduled job run"))
        {
            Assert.NotNull(parent);
            traceId = parent.TraceId;
            messageId = await bed.Publisher.PublishAsync(sent);
        }

        var handled = await bed.Probe.NextAsync();
        var send = Assert.Single(_stopped, a => a.Kind == ActivityKind.Producer && a.TraceId == traceId);
        var process = await WaitForSpanAsync(a => a.Kind == ActivityKind.Consumer && Tag(a, "messaging.message.id") == messageId);

        Assert.Equal(traceId, process.TraceId);
        Assert.Equal(send.SpanId, process.ParentSpanId);
        Assert.Equal(process.Context.SpanId, handled.Span?.SpanId);
        Assert.Equal($"{bed.QueueName} send", send.DisplayName);
        Assert.Equal($"{bed.QueueName} process", process.DisplayName);

        foreach (var span in new[] { send, process })
        {
            Assert.Equal("aws_sqs", Tag(span, "messaging.system"));
            Assert.Equal(bed.QueueName, Tag(span, "messaging.destination.name"));
            Assert.Equal(messageId, Tag(span, "messaging.message.id"));
            Assert.Equal(sent.EventId, Tag(span, "surgicase.event_id"));
            Assert.Equal("job-failed.v1", Tag(span, "surgicase.message_type"));
            Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(sent.ErrorMessage, StringComparison.Ordinal) == true);
            Assert.DoesNotContain(span.TagObjects, t => t.Value?.ToString()?.Contains(sent.JobName, StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task Message_without_trace_context_starts_a_new_trace()
    {
        await using var bed = await MessagingTestBed.StartAsync(_moto);
        var (messageType, body) = JobEventSerializer.Serialize(SampleEvents.SimpleFailure());
        var queueUrl = (await bed.Sqs.GetQueueUrlAsync(bed.QueueName)).QueueUrl;

        var response = await bed.Sqs.SendMessageAsync(new Amazon.SQS.Model.SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageAttributes = new() { ["message-type"] = new() { DataType = "String", StringValue = messageType } },
        });

        await bed.Probe.NextAsync();
        var process = await WaitForSpanAsync(a => a.Kind == ActivityKind.Consumer && Tag(a, "messaging.message.id") == response.MessageId);
        Assert.Equal(default, process.ParentSpanId);
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name)?.ToString();

    private async Task<Activity> WaitForSpanAsync(Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var found = _stopped.FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await _spanEnded.WaitAsync(TimeSpan.FromSeconds(1));
        }

        throw new TimeoutException("the span did not end within 10 s");
    }

    public void Dispose()
    {
        _listener.Dispose();
        _spanEnded.Dispose();
    }
}
