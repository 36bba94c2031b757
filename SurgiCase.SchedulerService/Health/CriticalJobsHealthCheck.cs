using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Health;

/// <summary>
/// Degraded (not unhealthy: the scheduler itself works) when a critical job's last run failed or it is overdue.
/// A singleton: the answer is reused for <see cref="CacheFor"/>, so probes from every load balancer target, ECS and
/// people do not each query the store; concurrent probes share one computation.
/// </summary>
internal sealed class CriticalJobsHealthCheck(JobCatalog catalog, IRunStore runs, OverdueJobs overdueJobs, TimeProvider timeProvider)
    : IHealthCheck, IDisposable
{
    public const string Name = "scheduler-jobs";

    /// <summary>Short next to any job's schedule, long next to a probe interval (ECS 30 s, the ALB 15 s, Aspire 5 s).</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _computing = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _computing.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } computedMeanwhile)
            {
                return computedMeanwhile;
            }

            var result = await ComputeAsync(cancellationToken);
            _last = (result, timeProvider.GetUtcNow());
            return result;
        }
        finally
        {
            _computing.Release();
        }
    }

    public void Dispose() => _computing.Dispose();

    private HealthCheckResult? Fresh() =>
        _last is { } last && timeProvider.GetUtcNow() - last.At < CacheFor ? last.Result : null;

    private async Task<HealthCheckResult> ComputeAsync(CancellationToken cancellationToken)
    {
        var critical = catalog.All.Where(j => j.Definition is { Enabled: true, Critical: true }).Select(j => j.Id).ToList();
        var lastRuns = await runs.LatestPerJobAsync(critical, cancellationToken);
        var failed = critical.Where(id => lastRuns.GetValueOrDefault(id)?.Outcome == RunOutcomes.Failed).ToList();

        var overdue = (await overdueJobs.FindAsync(timeProvider.GetUtcNow(), cancellationToken)).Select(o => o.Job.Id).ToList();
        if (failed.Count == 0 && overdue.Count == 0)
        {
            return HealthCheckResult.Healthy("Every critical job's last run succeeded and none is overdue.");
        }

        var parts = new List<string>();
        if (failed.Count > 0)
        {
            parts.Add($"last run failed: {string.Join(", ", failed)}");
        }

        if (overdue.Count > 0)
        {
            parts.Add($"overdue: {string.Join(", ", overdue)}");
        }

        return HealthCheckResult.Degraded(
            "Critical jobs need attention — " + string.Join("; ", parts),
            data: new Dictionary<string, object> { ["failed"] = failed, ["overdue"] = overdue });
    }
}
