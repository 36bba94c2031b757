using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Health;

/// <summary>Degraded (not unhealthy: the scheduler itself works) when a critical job's last run failed or it is overdue.</summary>
internal sealed class CriticalJobsHealthCheck(JobCatalog catalog, IRunStore runs, OverdueJobs overdueJobs, TimeProvider timeProvider) : IHealthCheck
{
    public const string Name = "scheduler-jobs";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
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
