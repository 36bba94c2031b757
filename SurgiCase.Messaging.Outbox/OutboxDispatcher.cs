using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// The one way SurgiCase publishes reliably: an event is stored first, in the service's own database (with the caller's
/// rows, in one transaction, when it has any), and this dispatcher publishes the outbox, oldest first, each event with
/// its stored <c>eventId</c> and in the trace that produced it. While the transport refuses, a row waits with
/// exponential backoff on the injected clock, and a restart picks up where it was. A row that can never be published
/// (larger than the transport takes) or that ran out of attempts is parked: kept with its reason, never retried, logged
/// as critical and reported by the outbox health check, instead of blocking or retrying forever.
/// </summary>
public sealed partial class OutboxDispatcher(
    IOutboxStore outbox,
    IJobEventPublisher publisher,
    IOptions<OutboxOptions> options,
    OutboxMetrics metrics,
    TimeProvider timeProvider,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 10;
    private const string HeldBehindOlderEvent = "held behind an older event of the same job";
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

    /// <summary>
    /// Stores events that belong to no transaction of the caller, then publishes what is due at once, so a caller that
    /// waits (a warming run) returns with its alert sent when the transport takes it. What is refused stays stored and
    /// is retried by the dispatcher. Should the store fail, the events are published directly instead: an alert must
    /// not be lost with the database.
    /// </summary>
    public async Task EnqueueAsync(IReadOnlyList<IJobEvent> events, CancellationToken cancellationToken)
    {
        var unstored = new List<IJobEvent>();
        foreach (var jobEvent in events)
        {
            var message = ToMessage(jobEvent);
            try
            {
                await outbox.AddAsync(message, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                OutboxLog.StoreFailed(logger, e, message.MessageType, message.JobId, message.RunId, message.EventId);
                unstored.Add(jobEvent);
            }
        }

        await PublishDirectlyAsync(unstored);
        if (unstored.Count < events.Count)
        {
            await PublishDueAsync(options.Value, cancellationToken);
            // A refused row is due again later: the dispatcher looks at when, instead of at its next poll.
            Signal();
        }
    }

    /// <summary>The fallback for events that could not be stored: each is published now, once; a failure is logged as critical.</summary>
    public async Task PublishDirectlyAsync(IReadOnlyList<IJobEvent> events)
    {
        foreach (var jobEvent in events)
        {
            var messageType = MessageTypes.For(jobEvent);
            try
            {
                var messageId = await publisher.PublishAsync(jobEvent, CancellationToken.None);
                OutboxLog.PublishedDirectly(logger, messageType, jobEvent.JobId, jobEvent.RunId, jobEvent.EventId, messageId);
            }
            catch (Exception e)
            {
                OutboxLog.DirectPublishFailed(logger, e, messageType, jobEvent.JobId, jobEvent.RunId, jobEvent.EventId);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await PublishDueAsync(settings, stoppingToken))
            {
                await WaitAsync(settings, stoppingToken);
            }
        }
    }

    /// <summary>
    /// After the loop ends, a last pass publishes what is due (the alert of a run that ended while the service was
    /// stopping) until the host's drain deadline; whatever it cannot publish stays in the outbox for the next start.
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            while (await PublishDueAsync(options.Value, cancellationToken) && !cancellationToken.IsCancellationRequested)
            {
            }
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // The drain deadline passed; the rest waits in the outbox.
        }
    }

    private async Task WaitAsync(OutboxOptions settings, CancellationToken stoppingToken)
    {
        var delay = settings.PollInterval;
        try
        {
            metrics.Observe(await outbox.GetStatsAsync(stoppingToken));
            if (await outbox.NextDueAsync(stoppingToken) is { } due)
            {
                var untilDue = due - timeProvider.GetUtcNow();
                delay = untilDue < delay ? untilDue : delay;
            }
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            OutboxLog.PollFailed(logger, e);
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
}
