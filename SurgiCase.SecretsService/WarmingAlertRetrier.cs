using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SecretsService;

/// <summary>
/// Keeps a warming alert that SQS did not accept and publishes it again with backoff until it is
/// accepted, with its original eventId (so the notification service still sends it once). The alert
/// stays in memory: if this instance stops first, the next warming run raises it again while the
/// outage lasts. <see cref="SecretsHealthCheck"/> reports Unhealthy while an alert waits.
/// </summary>
internal sealed class WarmingAlertRetrier(IJobEventPublisher publisher, TimeProvider time, ILogger<WarmingAlertRetrier> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(2);

    private readonly Channel<IJobEvent> _pending = Channel.CreateUnbounded<IJobEvent>();
    private int _waiting;

    /// <summary>Alerts not yet accepted by SQS.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public void Enqueue(IJobEvent alert)
    {
        Interlocked.Increment(ref _waiting);
        _pending.Writer.TryWrite(alert);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var alert in _pending.Reader.ReadAllAsync(stoppingToken))
            {
                await PublishUntilAcceptedAsync(alert, stoppingToken);
                Interlocked.Decrement(ref _waiting);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; see the class comment for what happens to a waiting alert
        }
    }

    private async Task PublishUntilAcceptedAsync(IJobEvent alert, CancellationToken stoppingToken)
    {
        var delay = FirstDelay;
        while (true)
        {
            await Task.Delay(delay, time, stoppingToken);
            try
            {
                await publisher.PublishAsync(alert, stoppingToken);
                SecretsLog.AlertPublishedAfterRetry(logger, MessageTypes.For(alert), alert.EventId);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                SecretsLog.AlertPublishFailed(logger, MessageTypes.For(alert), e);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }
}
