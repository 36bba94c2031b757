using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurgiCase.SecretsService.StaleAlerts;

/// <summary>Runs <see cref="StaleSecretsAlerter"/> every <c>Secrets:StaleAlertCheckInterval</c> on the injected clock.</summary>
internal sealed partial class StaleSecretsAlertService(
    StaleSecretsAlerter alerter,
    IOptions<SecretsOptions> options,
    TimeProvider time,
    ILogger<StaleSecretsAlertService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StaleAlertCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await alerter.CheckAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database may be briefly unavailable: the next check tries again; the episode is not lost.
                    LogCheckFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    [LoggerMessage(EventId = 43, Level = LogLevel.Error, Message = "Checking for secrets served stale too long failed; trying again at the next check")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception);
}
