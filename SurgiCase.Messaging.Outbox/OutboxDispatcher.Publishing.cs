using System.Diagnostics;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging.Outbox;

/// <summary>The publishing half of the dispatcher: one pass over the due rows, one row's publish, parking and backoff.</summary>
public sealed partial class OutboxDispatcher
{
    /// <summary>One pass over the due rows; true when a full batch was taken (more may be due at once).</summary>
    private async Task<bool> PublishDueAsync(OutboxOptions settings, CancellationToken cancellationToken)
    {
        try
        {
            // Claimed first: a row another pass (this process's or another replica's) holds is left to it.
            var now = timeProvider.GetUtcNow();
            var batch = await outbox.ClaimDueAsync(_owner, now, now + settings.ClaimDuration, BatchSize, cancellationToken);
            // A job's events go out in the order they were stored: once one is refused, the job's later rows in this
            // batch wait for its next attempt instead of overtaking it.
            var held = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            foreach (var message in batch)
            {
                if (held.TryGetValue(message.JobId, out var until))
                {
                    await outbox.MarkFailedAsync(message.EventId, message.Attempts, until, HeldBehindOlderEvent, CancellationToken.None);
                    continue;
                }

                if (await PublishAsync(message, settings, cancellationToken) is { } retryAt)
                {
                    held[message.JobId] = retryAt;
                }
            }

            return batch.Count == BatchSize;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The database itself failed; try again on the next poll rather than stop publishing for good.
            OutboxLog.PollFailed(logger, e);
            return false;
        }
    }

    /// <summary>Publishes one row; returns when it is due again if the transport refused it, null otherwise.</summary>
    private async Task<DateTimeOffset?> PublishAsync(OutboxMessage message, OutboxOptions settings, CancellationToken stoppingToken)
    {
        using var activity = StartPublishActivity(message);
        var bytes = System.Text.Encoding.UTF8.GetByteCount(message.Body);
        if (bytes > settings.MaxBodyBytes)
        {
            await ParkAsync(message, message.Attempts, $"body of {bytes} bytes is over the transport's limit of {settings.MaxBodyBytes}");
            return null;
        }

        try
        {
            var jobEvent = JobEventSerializer.Deserialize(message.MessageType, message.Body);
            var messageId = await publisher.PublishAsync(jobEvent, stoppingToken);
            await outbox.MarkPublishedAsync(message.EventId, timeProvider.GetUtcNow(), messageId, CancellationToken.None);
            OutboxLog.Published(logger, message.MessageType, message.JobId, message.RunId, message.EventId, messageId);
            return null;
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            if (attempts >= settings.MaxAttempts)
            {
                OutboxLog.PublishFailedFinally(logger, e, message.MessageType, message.JobId, message.RunId, message.EventId, attempts);
                await ParkAsync(message, attempts, $"{e.GetType().Name} on attempt {attempts} of {settings.MaxAttempts}");
                return null;
            }

            var delay = Backoff(settings, attempts, Random.Shared.NextDouble());
            var retryAt = timeProvider.GetUtcNow() + delay;
            await outbox.MarkFailedAsync(message.EventId, attempts, retryAt, e.GetType().Name, CancellationToken.None);
            OutboxLog.PublishFailed(logger, e, message.MessageType, message.JobId, message.RunId, message.EventId, attempts, delay);
            return retryAt;
        }
    }

    private async Task ParkAsync(OutboxMessage message, int attempts, string reason)
    {
        await outbox.ParkAsync(message.EventId, attempts, timeProvider.GetUtcNow(), reason, CancellationToken.None);
        metrics.Parked(message.MessageType);
        OutboxLog.Parked(logger, message.MessageType, message.JobId, message.RunId, message.EventId, reason);
    }

    internal static TimeSpan Backoff(OutboxOptions settings, int attempts, double random)
    {
        var seconds = settings.RetryInitialDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return Jitter.Apply(TimeSpan.FromSeconds(Math.Min(seconds, settings.RetryMaxDelay.TotalSeconds)), random);
    }

    /// <summary>The publish span continues the run's trace, so the message's traceparent leads back to the run.</summary>
    private static Activity? StartPublishActivity(OutboxMessage message)
    {
        var parent = message.TraceParent is { } id && ActivityContext.TryParse(id, null, out var context) ? context : default;
        var activity = MessagingDiagnostics.ActivitySource.StartActivity($"publish {message.MessageType}", ActivityKind.Internal, parent);
        if (activity is null && parent != default)
        {
            // Nobody listens to our source (tests, no OTLP): a bare Activity still carries the trace to SQS.
            activity = new Activity($"publish {message.MessageType}");
            activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            activity.Start();
        }

        activity?.SetTag(MessagingDiagnostics.EventIdTag, message.EventId);
        return activity;
    }
}
