using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SecretsService;

/// <summary>Warms this instance's cache at start-up and every <see cref="SecretsOptions.WarmingInterval"/>.</summary>
internal sealed class SecretsWarmingService(
    SecretsWarmer warmer,
    IOptions<SecretsOptions> options,
    TimeProvider time,
    ILogger<SecretsWarmingService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The schedule starts with the service, before the start-up warm: every interval from start, however long that
        // warm takes (and a clock read after it cannot push the first scheduled warm a whole interval later).
        using var timer = new PeriodicTimer(options.Value.WarmingInterval, time);
        if (options.Value.WarmOnStartup)
        {
            await RunOnceAsync(stoppingToken);
        }

        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RunOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await warmer.WarmAsync(Triggers.Schedule, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // One bad run must not stop the next ones.
            SecretsLog.WarmingCrashed(logger, e);
        }
    }
}
