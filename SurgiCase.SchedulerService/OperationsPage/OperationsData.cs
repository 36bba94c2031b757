using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>Reads the scheduler's own state for the page straight from the stores (no HTTP round trip to itself).</summary>
internal sealed class OperationsData(
    JobCatalog catalog, IRunStore runs, IJobStateStore states, OverdueJobs overdueJobs, IOptions<OperationsOptions> options, TimeProvider time)
{
    public async Task<IReadOnlyList<JobRow>> JobsAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var all = await states.ListAsync(cancellationToken);
        var overdue = (await overdueJobs.FindAsync(now, cancellationToken)).ToDictionary(o => o.Job.Id, StringComparer.Ordinal);
        var rows = new List<JobRow>();
        foreach (var job in catalog.All)
        {
            rows.Add(await RowAsync(job, all.GetValueOrDefault(job.Id), overdue.GetValueOrDefault(job.Id), now, cancellationToken));
        }

        return rows;
    }

    public async Task<JobHistory?> HistoryAsync(string jobId, CancellationToken cancellationToken)
    {
        if (catalog.Find(jobId) is not { } job)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var overdue = (await overdueJobs.FindAsync(now, cancellationToken)).FirstOrDefault(o => o.Job.Id == jobId);
        var row = await RowAsync(job, await states.GetAsync(jobId, cancellationToken), overdue, now, cancellationToken);
        return new JobHistory(
            row,
            await runs.ListForJobAsync(jobId, options.Value.HistoryRuns, cancellationToken),
            await runs.CountForJobAsync(jobId, cancellationToken),
            await states.ListActionsAsync(jobId, 10, cancellationToken));
    }

    private async Task<JobRow> RowAsync(ConfiguredJob job, JobState? state, OverdueJob? overdue, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var last = (await runs.ListForJobAsync(job.Id, 1, cancellationToken)).FirstOrDefault();
        var paused = state?.Paused == true;
        var next = job.Definition.Enabled && !paused ? job.NextFireAfter(now) : null;
        return new JobRow(job, JobRow.StatusOf(job.Definition, last, state, overdue), last, next, state, overdue);
    }
}

internal sealed record JobHistory(JobRow Row, IReadOnlyList<RunRecord> Runs, int TotalRuns, IReadOnlyList<JobAction> Actions);
