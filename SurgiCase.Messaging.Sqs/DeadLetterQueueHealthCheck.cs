using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Health;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// Degraded while the job-events DLQ holds messages: each one is an alert that was not emailed (parked
/// after the fallback channel took it, poison, or out of retries) and needs a person. The answer is kept
/// for <see cref="MessagingOptions.DeadLetterHealthCacheSeconds"/>, so frequent health probes from several
/// orchestrators cost one SQS call per period.
/// </summary>
internal sealed class DeadLetterQueueHealthCheck(
    IAmazonSQS sqs,
    QueueUrlCache queueUrls,
    TimeProvider time,
    IOptions<MessagingOptions> options,
    ILogger<DeadLetterQueueHealthCheck> logger) : CachedHealthCheck(time)
{
    protected override TimeSpan CacheFor => TimeSpan.FromSeconds(options.Value.DeadLetterHealthCacheSeconds);

    protected override async Task<HealthCheckResult> ComputeAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var queueName = options.Value.DeadLetterQueueName;
        try
        {
            var url = await queueUrls.GetAsync(queueName, cancellationToken);
            var attributes = await sqs.GetQueueAttributesAsync(
                new GetQueueAttributesRequest { QueueUrl = url, AttributeNames = [QueueAttributeName.ApproximateNumberOfMessages] },
                cancellationToken);
            var count = attributes.ApproximateNumberOfMessages;
            var data = new Dictionary<string, object> { ["queue"] = queueName, ["messages"] = count };
            return count == 0
                ? HealthCheckResult.Healthy($"Dead-letter queue {queueName} is empty.", data)
                : new HealthCheckResult(
                    context.Registration?.FailureStatus ?? HealthStatus.Degraded,
                    $"Dead-letter queue {queueName} holds {count.ToString(CultureInfo.InvariantCulture)} message(s): alerts that were not emailed and need attention.",
                    data: data);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            if (e is QueueDoesNotExistException)
            {
                queueUrls.Invalidate(queueName);
            }

            MessagingLog.DeadLetterCheckFailed(logger, e, queueName);
            return HealthCheckResult.Degraded($"Could not read the size of dead-letter queue {queueName} ({e.GetType().Name}).");
        }
    }
}
