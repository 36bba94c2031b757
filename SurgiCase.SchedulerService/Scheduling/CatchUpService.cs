using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>
/// At start-up, every enabled job gets its tracking row (watched from now on first sight), and a cluster job whose
/// fire time passed while no scheduler was running runs once (trigger <c>catch-up</c>), however many fire times were
/// missed. The claim is compare-and-set on the stored last fire
/// time, so of several replicas starting together exactly one catches up.
/// </summary>
internal sealed class CatchUpService(
    JobCatalog catalog,
    IJobStateStore states,
    RunQueue queue,
    TimeProvider timeProvider,
    ILogger<CatchUpService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var job in catalog.All.Where(j => j.Definition.Enabled))
        {
            // The only place tracking rows are created (besides a fire or a pause): readers such as the watchdog,
            // the health check and the page then only read.
            var state = await states.EnsureTrackedAsync(job.Id, now, cancellationToken);
            if (job.Definition.Scope != JobScopes.Cluster)
            {
                continue;
            }

            var accountedUpTo = state.LastScheduledFire ?? state.WatchSince;
            if (CronMath.LatestFire(job, accountedUpTo, now) is not { } missed
                || !await states.TryClaimCatchUpAsync(job.Id, state.LastScheduledFire, missed, cancellationToken))
            {
                continue;
            }

            if (state.Paused)
            {
                // A paused job does not run on schedule; the watchdog still reports it as missed.
                continue;
            }

            SchedulerLog.CatchingUp(logger, job.Id, missed);
            // The missed fire time's own Idempotency-Key: if the run it stands for got as far as the API, the API drops the repeat.
            await queue.EnqueueAsync(job.Definition, Triggers.CatchUp, requestedBy: null, cancellationToken, fireTime: missed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
