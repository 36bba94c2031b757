using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.NotificationService.DeadLetters;

/// <summary>
/// The SQS calls on the job-events DLQ. SQS has no peek: a message is read by receiving it, which hides it for its
/// visibility timeout. So every read here hides what it reads for a short while and gives each message back at once
/// (<see cref="ReleaseAsync"/>: visibility 0) unless it was replayed and deleted; a read that dies half-way costs at most
/// <see cref="HoldSeconds"/> of invisibility, never a message.
/// </summary>
internal sealed class DeadLetterQueue(IAmazonSQS sqs, IOptions<MessagingOptions> options)
{
    /// <summary>How long a read hides a message: long enough to replay a batch of ten, short enough to be harmless.</summary>
    public const int HoldSeconds = 60;

    private const int MaxPerReceive = 10;
    private string? _deadLetterUrl;
    private string? _queueUrl;

    public string DeadLetterQueueName => options.Value.DeadLetterQueueName;

    /// <summary>ApproximateNumberOfMessages: visible messages only (not those a read holds right now).</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(
            new GetQueueAttributesRequest { QueueUrl = await DeadLetterUrlAsync(cancellationToken), AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages] },
            cancellationToken);
        return attributes.ApproximateNumberOfMessages;
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages, each hidden for <see cref="HoldSeconds"/> (so a later receive in the same
    /// read never returns it twice). Long polls for a second while fewer than <paramref name="expected"/> came: a short
    /// poll samples only some of SQS's servers and may answer empty while messages exist.
    /// </summary>
    public async Task<List<Message>> ReceiveAsync(int max, int expected, CancellationToken cancellationToken)
    {
        var url = await DeadLetterUrlAsync(cancellationToken);
        var received = new List<Message>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (received.Count < max)
        {
            var response = await sqs.ReceiveMessageAsync(
                new ReceiveMessageRequest
                {
                    QueueUrl = url,
                    MaxNumberOfMessages = Math.Min(MaxPerReceive, max - received.Count),
                    WaitTimeSeconds = received.Count < expected ? 1 : 0,
                    VisibilityTimeout = HoldSeconds,
                    MessageAttributeNames = ["All"],
                    MessageSystemAttributeNames = [MessageSystemAttributeName.SentTimestamp, MessageSystemAttributeName.ApproximateReceiveCount],
                },
                cancellationToken);
            if (response.Messages is not { Count: > 0 } messages)
            {
                break;
            }

            received.AddRange(messages.Where(m => seen.Add(m.MessageId)));
        }

        return received;
    }

    /// <summary>Makes messages visible again at once. CancellationToken.None: an abandoned request must still give them back.</summary>
    public async Task ReleaseAsync(IReadOnlyList<Message> messages)
    {
        if (messages.Count == 0)
        {
            return;
        }

        var url = await DeadLetterUrlAsync(CancellationToken.None);
        foreach (var chunk in messages.Chunk(MaxPerReceive))
        {
            await sqs.ChangeMessageVisibilityBatchAsync(
                new ChangeMessageVisibilityBatchRequest
                {
                    QueueUrl = url,
                    Entries = chunk.Select((m, i) => new ChangeMessageVisibilityBatchRequestEntry
                    {
                        Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture), ReceiptHandle = m.ReceiptHandle, VisibilityTimeout = 0,
                    }).ToList(),
                },
                CancellationToken.None);
        }
    }

    /// <summary>
    /// Sends the message's body to the job-events queue with its original attributes (type, trace context), without the
    /// dead-letter reasons the consumer added: a replayed message starts over, with a fresh receive count.
    /// </summary>
    public async Task SendToQueueAsync(Message message, CancellationToken cancellationToken)
    {
        _queueUrl ??= (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = options.Value.QueueName }, cancellationToken)).QueueUrl;
        var attributes = (message.MessageAttributes ?? [])
            .Where(a => a.Key is not DeadLetterAttributes.Reason and not DeadLetterAttributes.PoisonReason)
            .ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        await sqs.SendMessageAsync(
            new SendMessageRequest { QueueUrl = _queueUrl, MessageBody = message.Body, MessageAttributes = attributes }, cancellationToken);
    }

    /// <summary>CancellationToken.None: once the copy is in the queue, the original must go, else it is replayed twice.</summary>
    public async Task DeleteAsync(Message message) =>
        await sqs.DeleteMessageAsync(
            new DeleteMessageRequest { QueueUrl = await DeadLetterUrlAsync(CancellationToken.None), ReceiptHandle = message.ReceiptHandle },
            CancellationToken.None);

    private async ValueTask<string> DeadLetterUrlAsync(CancellationToken cancellationToken) =>
        _deadLetterUrl ??= (await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = DeadLetterQueueName }, cancellationToken)).QueueUrl;
}
