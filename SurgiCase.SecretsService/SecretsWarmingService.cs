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
        if (options.Value.WarmOnStartup)
        {
            await RunOnceAsync(stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.WarmingInterval, time);
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
