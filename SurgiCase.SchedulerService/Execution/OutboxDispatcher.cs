using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Telemetry;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Publishes the outbox to SQS, oldest first, each event with its stored <c>eventId</c> and in the trace of the run
/// that produced it. While SQS refuses, a row waits with exponential backoff on the injected clock; nothing is dropped.
/// </summary>
internal sealed class OutboxDispatcher(
    IOutboxStore outbox,
    IJobEventPublisher publisher,
    IOptions<SchedulerOptions> options,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 10;
    private readonly string _owner = $"{Environment.MachineName}-{Guid.NewGuid():N}";
    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Wakes the dispatcher: a transaction just committed new rows.</summary>
    public void Signal() => _signal.Writer.TryWrite(true);

    /// <summary>Turns an event into its outbox row, remembering the current trace so the publish continues it.</summary>
    public OutboxMessage ToMessage(IJobEvent jobEvent)
    {
        var (messageType, body) = JobEventSerializer.Serialize(jobEvent);
        return new OutboxMessage(jobEvent.EventId, jobEvent.RunId, jobEvent.JobId, messageType, body, Activity.Current?.Id, timeProvider.GetUtcNow());
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Outbox;
        while (!stoppingToken.IsCancellationRequested)
        {
            var fullBatch = false;
            try
            {
                var now = timeProvider.GetUtcNow();
                var batch = await outbox.ClaimDueAsync(_owner, now, now + settings.ClaimDuration, BatchSize, stoppingToken);
                foreach (var message in batch)
                {
                    await PublishAsync(message, settings, stoppingToken);
                }

                fullBatch = batch.Count == BatchSize;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The database itself failed; try again on the next poll rather than stop publishing for good.
                Log.OutboxPollFailed(logger, e);
            }

            if (!fullBatch)
            {
                await WaitAsync(settings, stoppingToken);
            }
        }
    }

    private async Task PublishAsync(OutboxMessage message, OutboxOptions settings, CancellationToken stoppingToken)
    {
        using var activity = StartPublishActivity(message);
        try
        {
            var jobEvent = JobEventSerializer.Deserialize(message.MessageType, message.Body);
            var messageId = await publisher.PublishAsync(jobEvent, stoppingToken);
            await outbox.MarkPublishedAsync(message.EventId, timeProvider.GetUtcNow(), messageId, CancellationToken.None);
            Log.EventPublished(logger, message.MessageType, message.JobId, message.RunId, message.EventId, messageId);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            var attempts = message.Attempts + 1;
            var delay = Backoff(settings, attempts);
            await outbox.MarkFailedAsync(message.EventId, attempts, timeProvider.GetUtcNow() + delay, e.GetType().Name, CancellationToken.None);
            Log.EventPublishFailed(logger, e, message.MessageType, message.JobId, message.RunId, message.EventId, attempts, delay);
        }
    }

    internal static TimeSpan Backoff(OutboxOptions settings, int attempts)
    {
        var seconds = settings.RetryInitialDelay.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        return TimeSpan.FromSeconds(Math.Min(seconds, settings.RetryMaxDelay.TotalSeconds));
    }

    private async Task WaitAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var delay = settings.PollInterval;
        try
        {
            if (await outbox.NextDueAsync(stoppingToken) is { } due)
            {
                var untilDue = due - timeProvider.GetUtcNow();
                delay = untilDue < delay ? untilDue : delay;
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            Log.OutboxPollFailed(logger, e);
        }

        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var signalled = _signal.Reader.WaitToReadAsync(wake.Token).AsTask();
        var elapsed = Task.Delay(delay, timeProvider, wake.Token);
        await Task.WhenAny(signalled, elapsed);
        await wake.CancelAsync();
        _signal.Reader.TryRead(out _);
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>The publish span continues the run's trace, so the message's traceparent leads back to the run.</summary>
    private static Activity? StartPublishActivity(OutboxMessage message)
    {
        var parent = message.TraceParent is { } id && ActivityContext.TryParse(id, null, out var context) ? context : default;
        var activity = SchedulerTelemetry.ActivitySource.StartActivity($"publish {message.MessageType}", ActivityKind.Internal, parent);
        if (activity is null && parent != default)
        {
            // Nobody listens to our source (tests, no OTLP): a bare Activity still carries the trace to SQS.
            activity = new Activity($"publish {message.MessageType}");
            activity.SetParentId(parent.TraceId, parent.SpanId, parent.TraceFlags);
            activity.Start();
        }

        activity?.SetTag("messaging.event_id", message.EventId);
        return activity;
    }
}
