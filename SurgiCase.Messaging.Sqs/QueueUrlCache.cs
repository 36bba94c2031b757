using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SurgiCase.Messaging.Sqs;

/// <summary>Queue name → URL. A URL never changes for a queue, so one lookup per process is enough.</summary>
internal sealed class QueueUrlCache(IAmazonSQS sqs)
{
    private readonly ConcurrentDictionary<string, string> _urls = new(StringComparer.Ordinal);

    public async ValueTask<string> GetAsync(string queueName, CancellationToken cancellationToken)
    {
        if (_urls.TryGetValue(queueName, out var url))
        {
            return url;
        }

        var response = await sqs.GetQueueUrlAsync(new GetQueueUrlRequest { QueueName = queueName }, cancellationToken);
        return _urls.GetOrAdd(queueName, response.QueueUrl);
    }

    /// <summary>After <c>QueueDoesNotExist</c>: the queue may have been deleted and created again.</summary>
    public void Invalidate(string queueName) => _urls.TryRemove(queueName, out _);
}
