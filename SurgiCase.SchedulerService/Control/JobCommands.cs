using SurgiCase.Messaging.Contracts;
using SurgiCase.Operations.Jobs;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Control;

/// <param name="Run">The queued run when <see cref="Outcome"/> is <see cref="JobCommandOutcome.Done"/>.</param>
/// <param name="WasPaused">A paused job still runs by hand; the caller may want to say so.</param>
internal sealed record RunNowResult(JobCommandOutcome Outcome, RunRecord? Run = null, bool WasPaused = false);

/// <param name="Changed">False when the job already was in that state (nothing recorded).</param>
internal sealed record PauseResult(JobCommandOutcome Outcome, bool Changed = false, JobState? State = null);

/// <summary>Run now, pause and resume: the same rules for the JSON API and the operations page.</summary>
internal sealed class JobCommands(JobCatalog catalog, RunQueue queue, IJobStateStore states, TimeProvider time, ILogger<JobCommands> logger)
{
    public async Task<RunNowResult> RunNowAsync(string jobId, string? actor, CancellationToken cancellationToken)
    {
        if (catalog.Find(jobId) is not { } job)
        {
            return new RunNowResult(JobCommandOutcome.UnknownJob);
        }

        // A disabled job is switched off in the configuration; running it by hand would bypass that decision.
        if (!job.Definition.Enabled)
        {
            return new RunNowResult(JobCommandOutcome.Disabled);
        }

        var paused = (await states.GetAsync(jobId, cancellationToken))?.Paused == true;
        return await queue.EnqueueAsync(job.Definition, Triggers.Manual, actor, cancellationToken) is { } run
            ? new RunNowResult(JobCommandOutcome.Done, run, paused)
            : new RunNowResult(JobCommandOutcome.QueueFull);
    }

    public async Task<PauseResult> SetPausedAsync(string jobId, bool pause, string actor, CancellationToken cancellationToken)
    {
        if (catalog.Find(jobId) is null)
        {
            return new PauseResult(JobCommandOutcome.UnknownJob);
        }

        var changed = await states.SetPausedAsync(jobId, pause, actor, time.GetUtcNow(), cancellationToken);
        if (changed)
        {
            SchedulerLog.JobPauseChanged(logger, jobId, pause ? "paused" : "resumed", actor);
        }

        return new PauseResult(JobCommandOutcome.Done, changed, await states.GetAsync(jobId, cancellationToken));
    }
}
