using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Control;

/// <summary>A job as it stands now: its configuration, its newest run, its pause state and its next fire time.</summary>
/// <param name="NextRun">Null when disabled or paused: nothing will fire.</param>
internal sealed record JobSnapshot(ConfiguredJob Job, RunRecord? LastRun, JobState? State, DateTimeOffset? NextRun)
{
    public bool Paused => State?.Paused == true;
}

/// <summary>
/// The reads behind the JSON API and the operations page, so both show the same thing. The job list costs two
/// queries whatever the number of jobs: every job's state, and every job's newest run.
/// </summary>
internal sealed class JobQueries(
    JobCatalog catalog, IRunStore runs, IJobStateStore states, IRecoveryStore recoveries, OverdueJobs overdueJobs, TimeProvider time)
{
    public ConfiguredJob? Find(string jobId) => catalog.Find(jobId);

    /// <summary>Every configured job, in configuration order.</summary>
    public async Task<IReadOnlyList<JobSnapshot>> ListAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var allStates = await states.ListAsync(cancellationToken);
        var lastRuns = await runs.LatestPerJobAsync(catalog.All.Select(job => job.Id).ToList(), cancellationToken);
        return catalog.All
            .Select(job => Snapshot(job, lastRuns.GetValueOrDefault(job.Id), allStates.GetValueOrDefault(job.Id), now))
            .ToList();
    }

    public async Task<JobSnapshot?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        if (catalog.Find(jobId) is not { } job)
        {
            return null;
        }

        var last = (await runs.ListForJobAsync(jobId, 1, cancellationToken)).FirstOrDefault();
        return Snapshot(job, last, await states.GetAsync(jobId, cancellationToken), time.GetUtcNow());
    }

    /// <summary>Newest first.</summary>
    public Task<IReadOnlyList<RunRecord>> RunsAsync(string jobId, int limit, CancellationToken cancellationToken) =>
        runs.ListForJobAsync(jobId, limit, cancellationToken);

    public Task<int> CountRunsAsync(string jobId, CancellationToken cancellationToken) => runs.CountForJobAsync(jobId, cancellationToken);

    public Task<RunRecord?> RunAsync(string runId, CancellationToken cancellationToken) => runs.GetAsync(runId, cancellationToken);

    /// <summary>A page of a partial run's failed items, all of them kept (its alert lists only the first few).</summary>
    public Task<IReadOnlyList<string>> FailedItemsAsync(string runId, int offset, int limit, CancellationToken cancellationToken) =>
        runs.FailedItemsAsync(runId, offset, limit, cancellationToken);

    /// <summary>Who paused and resumed the job, newest first.</summary>
    public Task<IReadOnlyList<JobAction>> ActionsAsync(string jobId, int limit, CancellationToken cancellationToken) =>
        states.ListActionsAsync(jobId, limit, cancellationToken);

    /// <summary>Each job's pending automatic recovery (the newest, should there be several), by job id.</summary>
    public async Task<IReadOnlyDictionary<string, PendingRecovery>> PendingRecoveriesAsync(CancellationToken cancellationToken) =>
        (await recoveries.ListPendingAsync(cancellationToken))
            .GroupBy(r => r.JobId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(r => r.FailedAt)!, StringComparer.Ordinal);

    /// <summary>Critical jobs whose latest fire time passed its grace without a successful run, by job id.</summary>
    public async Task<IReadOnlyDictionary<string, OverdueJob>> OverdueAsync(CancellationToken cancellationToken) =>
        (await overdueJobs.FindAsync(time.GetUtcNow(), cancellationToken)).ToDictionary(o => o.Job.Id, StringComparer.Ordinal);

    private static JobSnapshot Snapshot(ConfiguredJob job, RunRecord? last, JobState? state, DateTimeOffset now)
    {
        var paused = state?.Paused == true;
        return new JobSnapshot(job, last, state, job.Definition.Enabled && !paused ? job.NextFireAfter(now) : null);
    }
}
