namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// A check that runs every <c>interval</c> on the injected clock, on every replica (the delivery log's claims let one
/// replica act on each finding). A failed check is logged and the next tick tries again.
/// </summary>
/// <param name="name">What the check does, for the log ("Sending alert digests").</param>
internal abstract partial class PeriodicCheckService(string name, TimeSpan interval, TimeProvider time, ILogger logger) : BackgroundService
{
    protected abstract Task CheckAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // What was due stays due in the log; the next tick tries again. The type only: messages may quote data.
                LogTickFailed(logger, name, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(EventId = 1131, Level = LogLevel.Error, Message = "{Check} failed ({ErrorType}); retrying on the next check")]
    private static partial void LogTickFailed(ILogger logger, string check, string errorType);
}
