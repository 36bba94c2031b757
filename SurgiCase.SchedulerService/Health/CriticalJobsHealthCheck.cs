using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Messaging.Health;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Health;

/// <summary>
/// Degraded (not unhealthy: the scheduler itself works) when a critical job's last run failed or it is overdue.
/// A singleton: the answer is reused for <see cref="CacheDuration"/>, so probes from every load balancer target, ECS and
/// people do not each query the store; concurrent probes share one computation.
/// </summary>
internal sealed class CriticalJobsHealthCheck(JobCatalog catalog, IRunStore runs, OverdueJobs overdueJobs, TimeProvider timeProvider)
    : CachedHealthCheck(timeProvider)
{
    public const string Name = "scheduler-jobs";

    /// <summary>Short next to any job's schedule, long next to a probe interval (ECS 30 s, the ALB 15 s, Aspire 5 s).</summary>
    public static readonly TimeSpan CacheDuration = TimeSpan.FromSeconds(5);

    protected override TimeSpan CacheFor => CacheDuration;

    protected override async Task<HealthCheckResult> ComputeAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var critical = catalog.All.Where(j => j.Definition is { Enabled: true, Critical: true }).Select(j => j.Id).ToList();
        var lastRuns = await runs.LatestPerJobAsync(critical, cancellationToken);
        var failed = critical.Where(id => lastRuns.GetValueOrDefault(id)?.Outcome == RunOutcomes.Failed).ToList();

        var overdue = (await overdueJobs.FindAsync(Time.GetUtcNow(), cancellationToken)).Select(o => o.Job.Id).ToList();
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
