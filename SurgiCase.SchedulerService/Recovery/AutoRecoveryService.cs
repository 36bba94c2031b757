using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Telemetry;

namespace SurgiCase.SchedulerService.Recovery;

/// <summary>
/// Works through the pending automatic recoveries every <c>Scheduler:Recovery:ProbeInterval</c> (with jitter): ends those
/// no longer needed or allowed, probes the dependency of the rest, and when it answers again claims the recovery in the
/// database (compare-and-set, so of several replicas exactly one wins) and queues one run with trigger <c>recovery</c>.
/// </summary>
internal sealed class AutoRecoveryService(
    IRecoveryStore recoveries,
    IRunStore runs,
    IJobStateStore states,
    JobCatalog catalog,
    DependencyProbe probe,
    RunQueue queue,
    SchedulerTelemetry telemetry,
    IOptions<SchedulerOptions> options,
    TimeProvider timeProvider,
    ILogger<AutoRecoveryService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var settings = options.Value.Recovery;
            var jitter = 1 + ((Random.Shared.NextDouble() * 2) - 1) * settings.ProbeJitterRatio;
            await Task.Delay(settings.ProbeInterval * jitter, timeProvider, stoppingToken);
            await CheckAsync(stoppingToken);
        }
    }

    /// <summary>One pass over the pending recoveries; one that fails to be checked is logged and tried on the next pass.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<PendingRecovery> pending;
        try
        {
            pending = await recoveries.ListPendingAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            SchedulerLog.RecoveryCheckFailed(logger, e, "(all)");
            return;
        }

        foreach (var recovery in pending)
        {
            try
            {
                await CheckOneAsync(recovery, cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                SchedulerLog.RecoveryCheckFailed(logger, e, recovery.JobId);
            }
        }
    }

    private async Task CheckOneAsync(PendingRecovery recovery, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var settings = options.Value.Recovery;
        if (catalog.Find(recovery.JobId) is not { Definition: { Enabled: true, Critical: true, AutoRecovery: true } } job)
        {
            await EndAsync(recovery, RecoveryStatuses.Skipped, "the job is no longer configured for automatic recovery", now, cancellationToken);
            return;
        }

        if (await runs.SucceededSinceAsync(recovery.JobId, recovery.FailedAt, cancellationToken))
        {
            await EndAsync(recovery, RecoveryStatuses.NotNeeded, "the job succeeded since", now, cancellationToken);
            return;
        }

        var nextFire = job.NextFireAfter(recovery.FailedAt);
        if (now - recovery.FailedAt >= settings.GiveUpAfter)
        {
            await EndAsync(recovery, RecoveryStatuses.GaveUp, $"{recovery.Dependency} did not answer within {settings.GiveUpAfter}", now, cancellationToken);
            return;
        }

        if (nextFire is { } fire && fire <= now)
        {
            await EndAsync(recovery, RecoveryStatuses.GaveUp, $"the next scheduled fire time {fire:O} came first", now, cancellationToken);
            return;
        }

        if (nextFire is { } soon && soon - now <= settings.NextFireMargin)
        {
            await EndAsync(recovery, RecoveryStatuses.Skipped,
                $"the next scheduled fire time {soon:O} is within {settings.NextFireMargin}; the schedule runs the job then", now, cancellationToken);
            return;
        }

        if ((await states.GetAsync(recovery.JobId, cancellationToken))?.Paused == true)
        {
            // Paused by an operator: not re-run, but kept (until it gives up) in case the job is resumed.
            return;
        }

        var result = await probe.ProbeAsync(job.Definition, recovery, cancellationToken);
        if (!result.Up)
        {
            telemetry.RecoveryStep(recovery.JobId, "probe-failed");
            SchedulerLog.RecoveryProbeFailed(logger, recovery.JobId, recovery.Dependency, result.Detail);
            return;
        }

        var run = RunRecord.NewQueued(recovery.JobId, Triggers.Recovery, requestedBy: null, now);
        if (!await recoveries.TryClaimAsync(recovery.FailedRunId, run, now, cancellationToken))
        {
            // Another replica claimed it (or it was resolved) since the list was read.
            return;
        }

        telemetry.RecoveryStep(recovery.JobId, "probe-succeeded");
        SchedulerLog.RecoveryProbeSucceeded(logger, recovery.JobId, recovery.Dependency, now - recovery.FailedAt, run.RunId, recovery.FailedRunId);
        await queue.TryEnqueueStoredAsync(new RunRequest(run.RunId, recovery.JobId, Triggers.Recovery, null, Recovery: recovery));
    }

    private async Task EndAsync(PendingRecovery recovery, string status, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await recoveries.TryResolveAsync(recovery.FailedRunId, status, reason, now, cancellationToken))
        {
            telemetry.RecoveryStep(recovery.JobId, status);
            SchedulerLog.RecoveryEnded(logger, recovery.JobId, recovery.FailedRunId, status, reason);
        }
    }
}
