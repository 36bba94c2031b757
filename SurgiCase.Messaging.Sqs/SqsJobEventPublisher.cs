using System.Diagnostics;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging.Sqs;

internal sealed class SqsJobEventPublisher(
    IAmazonSQS sqs,
    QueueUrlCache queueUrls,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    ILogger<SqsJobEventPublisher> logger) : IJobEventPublisher
{
    public async Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default)
    {
        var queueName = options.Value.QueueName;
        var (messageType, body) = JobEventSerializer.Serialize(jobEvent);

        using var activity = SqsDiagnostics.StartActivity(queueName, "send", ActivityKind.Producer);
        activity?.SetTag(SqsDiagnostics.Tags.EventId, jobEvent.EventId);
        activity?.SetTag(SqsDiagnostics.Tags.MessageType, messageType);

        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            [MessageTypes.AttributeName] = new() { DataType = "String", StringValue = messageType },
        };

        // Without a listener on our source there is no send span; the caller's span still links the trace.
        TraceContextPropagation.Inject(activity ?? Activity.Current, attributes);

        try
        {
            var queueUrl = await queueUrls.GetAsync(queueName, cancellationToken);
            var response = await sqs.SendMessageAsync(
                new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body, MessageAttributes = attributes },
                cancellationToken);

            activity?.SetTag(SqsDiagnostics.Tags.MessageId, response.MessageId);
            metrics.Published(messageType);
            MessagingLog.Published(logger, messageType, jobEvent.EventId, queueName, response.MessageId);
            return response.MessageId;
        }
        catch (Exception e)
        {
            if (e is QueueDoesNotExistException)
            {
                queueUrls.Invalidate(queueName);
            }

            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            MessagingLog.PublishFailed(logger, e, messageType, jobEvent.EventId, queueName);
            throw;
        }
    }
}
