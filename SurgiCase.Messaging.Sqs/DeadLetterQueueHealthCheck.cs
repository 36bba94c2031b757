using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

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
    ILogger<DeadLetterQueueHealthCheck> logger) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _cached;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        // One probe refreshes; concurrent probes wait for it and take its answer.
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }

            var result = await QueryAsync(context, cancellationToken);
            _cached = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    private HealthCheckResult? Fresh() =>
        _cached is { } c && time.GetUtcNow() - c.At < TimeSpan.FromSeconds(options.Value.DeadLetterHealthCacheSeconds) ? c.Result : null;

    private async Task<HealthCheckResult> QueryAsync(HealthCheckContext context, CancellationToken cancellationToken)
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
