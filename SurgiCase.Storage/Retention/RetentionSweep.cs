using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurgiCase.Storage.Retention;

/// <summary>
/// The service's one retention sweep: every <c>Retention:SweepInterval</c> on the injected clock (and once at start),
/// each registered <see cref="IRetentionStep"/> in turn. A failing step is logged and retried on the next sweep; it
/// never stops the others or the service.
/// </summary>
public sealed partial class RetentionSweep(
    IEnumerable<IRetentionStep> steps, IOptions<RetentionOptions> options, TimeProvider time, ILogger<RetentionSweep> logger) : BackgroundService
{
    /// <summary>Runs every step once; the rows each changed, by step name.</summary>
    public async Task<IReadOnlyDictionary<string, int>> SweepOnceAsync(CancellationToken cancellationToken)
    {
        var changed = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        foreach (var step in steps)
        {
            try
            {
                changed[step.Name] = await step.SweepAsync(now, cancellationToken);
                if (changed[step.Name] > 0)
                {
                    LogSwept(logger, step.Name, changed[step.Name]);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LogStepFailed(logger, e, step.Name);
            }
        }

        return changed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            do
            {
                await SweepOnceAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Retention sweep: {Step} removed or thinned {Rows} old rows")]
    private static partial void LogSwept(ILogger logger, string step, int rows);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Retention sweep: step {Step} failed; it is tried again on the next sweep")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string step);
}
