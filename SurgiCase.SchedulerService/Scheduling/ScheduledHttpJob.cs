using Quartz;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Runs;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>The Quartz job for every configured job: the JobKey name is the configured id.</summary>
internal sealed class ScheduledHttpJob(JobCatalog catalog, IRunStore store, JobRunner runner, TimeProvider timeProvider) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var job = catalog.Find(context.JobDetail.Key.Name);
        if (job is null)
        {
            return;
        }

        var run = new RunRecord(
            RunId: Guid.NewGuid().ToString("N"),
            JobId: job.Id,
            Trigger: Triggers.Schedule,
            RequestedBy: null,
            QueuedAt: context.ScheduledFireTimeUtc ?? timeProvider.GetUtcNow(),
            StartedAt: null,
            FinishedAt: null,
            Outcome: RunOutcomes.Queued,
            Attempts: 0,
            ErrorKind: null,
            ErrorMessage: null,
            TraceId: null);
        await store.CreateAsync(run, cancellationToken);
        await runner.RunAsync(job.Definition, new RunRequest(run.RunId, job.Id, Triggers.Schedule, null), cancellationToken);
    }
}
