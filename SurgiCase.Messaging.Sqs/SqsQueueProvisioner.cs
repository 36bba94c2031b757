using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SurgiCase.Messaging.Sqs;

/// <summary>The URLs of the job-events queue and its dead-letter queue.</summary>
public sealed record JobEventQueues(string QueueUrl, string DeadLetterQueueUrl);

/// <summary>
/// Creates the job-events queue and its DLQ with the RedrivePolicy, for local AWS (the AppHost) and tests.
/// Idempotent: existing queues are kept and only their RedrivePolicy is set again.
/// </summary>
public static class SqsQueueProvisioner
{
    public static async Task<JobEventQueues> EnsureQueuesAsync(
        IAmazonSQS sqs, MessagingOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sqs);
        ArgumentNullException.ThrowIfNull(options);

        var deadLetterUrl = await EnsureQueueAsync(sqs, options.DeadLetterQueueName, cancellationToken);
        var deadLetterAttributes = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = deadLetterUrl, AttributeNames = [QueueAttributeName.QueueArn] },
            cancellationToken);
        var deadLetterArn = deadLetterAttributes.QueueARN
            ?? throw new InvalidOperationException($"SQS returned no ARN for queue '{options.DeadLetterQueueName}'.");

        var queueUrl = await EnsureQueueAsync(sqs, options.QueueName, cancellationToken);
        var redrivePolicy = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["deadLetterTargetArn"] = deadLetterArn,
            ["maxReceiveCount"] = options.MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
        });

        // Set rather than passed to CreateQueue: CreateQueue fails for an existing queue whose attributes differ.
        await sqs.SetQueueAttributesAsync(
            new SetQueueAttributesRequest
            {
                QueueUrl = queueUrl,
                Attributes = new Dictionary<string, string>
                {
                    [QueueAttributeName.RedrivePolicy] = redrivePolicy,
                    [QueueAttributeName.VisibilityTimeout] = options.VisibilityTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);

        return new JobEventQueues(queueUrl, deadLetterUrl);
    }

    private static async Task<string> EnsureQueueAsync(IAmazonSQS sqs, string queueName, CancellationToken cancellationToken)
    {
        try
        {
            var existing = await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = queueName }, cancellationToken);
            return existing.QueueUrl;
        }
        catch (QueueDoesNotExistException)
        {
            var created = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = queueName }, cancellationToken);
            return created.QueueUrl;
        }
    }
}
