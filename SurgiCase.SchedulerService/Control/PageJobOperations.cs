using SurgiCase.Operations.Jobs;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Control;

/// <summary>The operations page's view of this scheduler: <see cref="JobQueries"/> and <see cref="JobCommands"/> in the page's terms.</summary>
internal sealed class PageJobOperations(JobQueries queries, JobCommands commands) : IJobOperations
{
    private const int ActionsShown = 10;

    /// <summary>Failed items listed per run on the job's page; the rest are in the download.</summary>
    public const int FailedItemsShown = 100;

    public async Task<IReadOnlyList<JobOverview>> ListAsync(CancellationToken cancellationToken)
    {
        var jobs = await queries.ListAsync(cancellationToken);
        var overdue = await queries.OverdueAsync(cancellationToken);
        var recoveries = await queries.PendingRecoveriesAsync(cancellationToken);
        return jobs.Select(job => Overview(job, overdue.GetValueOrDefault(job.Job.Id), recoveries.GetValueOrDefault(job.Job.Id))).ToList();
    }

    public async Task<JobHistory?> HistoryAsync(string jobId, int runLimit, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(jobId, cancellationToken) is not { } job)
        {
            return null;
        }

        var overdue = (await queries.OverdueAsync(cancellationToken)).GetValueOrDefault(jobId);
        var recovery = (await queries.PendingRecoveriesAsync(cancellationToken)).GetValueOrDefault(jobId);
        var runs = new List<RunInfo>();
        foreach (var run in await queries.RunsAsync(jobId, runLimit, cancellationToken))
        {
            var items = run.FailedItemCount > 0 ? await queries.FailedItemsAsync(run.RunId, 0, FailedItemsShown, cancellationToken) : null;
            runs.Add(Run(run) with { FailedItems = items });
        }

        var actions = await queries.ActionsAsync(jobId, ActionsShown, cancellationToken);
        return new JobHistory(
            Overview(job, overdue, recovery),
            runs,
            await queries.CountRunsAsync(jobId, cancellationToken),
            actions.Select(a => new JobActionInfo(a.Action, a.Actor, a.At)).ToList());
    }

    public Task<IReadOnlyList<string>> FailedItemsAsync(string runId, int offset, int limit, CancellationToken cancellationToken) =>
        queries.FailedItemsAsync(runId, offset, limit, cancellationToken);

    public string? NameOf(string jobId) => queries.Find(jobId)?.Definition.Name;

    public async Task<JobCommandOutcome> RunNowAsync(string jobId, string actor, CancellationToken cancellationToken) =>
        (await commands.RunNowAsync(jobId, actor, cancellationToken)).Outcome;

    public async Task<JobCommandOutcome> SetPausedAsync(string jobId, bool paused, string actor, CancellationToken cancellationToken) =>
        (await commands.SetPausedAsync(jobId, paused, actor, cancellationToken)).Outcome;

    private static JobOverview Overview(JobSnapshot job, OverdueJob? overdue, PendingRecovery? recovery)
    {
        var d = job.Job.Definition;
        var info = new JobInfo(d.Id, d.Name, d.Cron, job.Job.TimeZone.Id, d.Scope, d.Enabled, d.Critical, d.Method, d.Url, d.TimeoutSeconds,
            d.Retry.MaxAttempts);
        var pause = job.Paused ? new PauseInfo(job.State!.PausedBy, job.State.PausedAt) : null;
        return new JobOverview(info, job.LastRun is { } last ? Run(last) : null, job.NextRun, pause, overdue?.FireTime,
            recovery is null ? null : new RecoveryInfo(recovery.Dependency, recovery.FailedAt));
    }

    private static RunInfo Run(RunRecord r) =>
        new(r.RunId, r.Trigger, r.RequestedBy, r.QueuedAt, r.StartedAt, r.FinishedAt, r.Outcome, r.Attempts, r.ErrorKind, r.ErrorMessage, r.TraceId, r.Severity,
            r.FailedItemCount);
}
