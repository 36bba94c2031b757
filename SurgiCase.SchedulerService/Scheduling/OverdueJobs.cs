using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>A critical job with no successful run for <see cref="FireTime"/> although its grace has passed.</summary>
internal sealed record OverdueJob(ConfiguredJob Job, DateTimeOffset FireTime, TimeSpan Grace, JobState State);

/// <summary>
/// The dead man's switch arithmetic, shared by the watchdog, the health check and the overdue gauge: the latest
/// fire time whose grace has passed, and whether a run succeeded since. Fire times before the job was first
/// watched do not count, so a fresh install does not report last week as missed.
/// </summary>
internal sealed class OverdueJobs(JobCatalog catalog, IJobStateStore states, IRunStore runs, IOptions<SchedulerOptions> options)
{
    private volatile int _lastCount;

    /// <summary>The count found by the latest evaluation, for the observable gauge.</summary>
    public int LastCount => _lastCount;

    public async Task<IReadOnlyList<OverdueJob>> FindAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var overdue = new List<OverdueJob>();
        // Read only: the rows are created once at start-up (CatchUpService). A job without one is watched from now,
        // which is what creating it here would have said, without a write on every probe and page refresh.
        var tracked = await states.ListAsync(cancellationToken);
        foreach (var job in catalog.All.Where(j => j.Definition is { Enabled: true, Critical: true }))
        {
            var state = tracked.GetValueOrDefault(job.Id) ?? new JobState(job.Id, false, null, null, now, now, null);
            var grace = CronMath.GraceOf(job.Definition, options.Value);
            if (CronMath.LatestFire(job, state.WatchSince, now - grace) is { } fire
                && !await runs.SucceededSinceAsync(job.Id, fire, cancellationToken)
                // A run still going (a catch-up just queued, a slow report with retries) is not missed yet; a row
                // left "running" by a crash stops counting once the longest legitimate run would be over.
                && !await runs.HasUnfinishedRunSinceAsync(job.Id, Max(fire, now - LongestRun(job.Definition)), cancellationToken))
            {
                overdue.Add(new OverdueJob(job, fire, grace, state));
            }
        }

        _lastCount = overdue.Count;
        return overdue;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static TimeSpan LongestRun(JobDefinition job) =>
        (job.Timeout * job.Retry.MaxAttempts) + TimeSpan.FromSeconds(job.Retry.MaxDelaySeconds * job.Retry.MaxAttempts);
}
