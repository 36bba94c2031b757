using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Looks for closed storm windows every <c>Notifications:DigestCheckInterval</c> on the injected clock and has their
/// digests sent. Runs on every replica; the delivery log's claim lets one of them send each digest.
/// </summary>
internal sealed partial class DigestService(
    DigestSender sender, IOptions<NotificationOptions> options, TimeProvider time, ILogger<DigestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DigestCheckInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sender.SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // The repeats stay in the log unreported; the next tick tries again.
                LogTickFailed(logger, e.GetType().Name, e.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending alert digests failed ({ErrorType}: {Error}); retrying on the next check")]
    private static partial void LogTickFailed(ILogger logger, string errorType, string error);
}
