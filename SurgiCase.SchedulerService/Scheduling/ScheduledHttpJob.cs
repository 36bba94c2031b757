using Quartz;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>The Quartz job for every configured job: the JobKey name is the configured id.</summary>
internal sealed class ScheduledHttpJob(
    JobCatalog catalog,
    IRunStore store,
    IJobStateStore states,
    JobRunner runner,
    TimeProvider timeProvider,
    ILogger<ScheduledHttpJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var job = catalog.Find(context.JobDetail.Key.Name);
        if (job is null)
        {
            return;
        }

        var fireTime = context.ScheduledFireTimeUtc ?? timeProvider.GetUtcNow();
        // The registrar removes a disabled job's stored trigger, but a replica still on an older configuration may
        // hold (or re-add) one: this replica's configuration decides, and a disabled job does not run.
        if (!job.Definition.Enabled)
        {
            SchedulerLog.SkippedDisabled(logger, job.Id, fireTime);
            return;
        }

        var state = await states.GetAsync(job.Id, cancellationToken);
        if (job.Definition.Scope == JobScopes.Cluster)
        {
            // Even a paused fire time counts as accounted for: resuming must not trigger a catch-up of it.
            await states.RecordScheduledFireAsync(job.Id, fireTime, cancellationToken);
        }

        // Paused in the shared state rather than in Quartz, so every replica (and instance jobs) obeys it.
        if (state is { Paused: true })
        {
            SchedulerLog.SkippedPaused(logger, job.Id, fireTime);
            return;
        }

        var run = RunRecord.NewQueued(job.Id, Triggers.Schedule, requestedBy: null, queuedAt: fireTime);
        await store.CreateAsync(run, cancellationToken);
        await runner.RunAsync(job.Definition, new RunRequest(run.RunId, job.Id, Triggers.Schedule, null, FireTime: fireTime), cancellationToken);
    }
}
