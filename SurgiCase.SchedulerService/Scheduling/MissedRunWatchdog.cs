using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>
/// Publishes <c>JobFailed</c> with <c>errorKind: MissedRun</c> when a critical job has no successful run by its
/// fire time plus grace — also when it is paused, or when no scheduler fired it at all. Once per fire time: the
/// alerted fire time is stored with the missed run and its event in one transaction.
/// </summary>
internal sealed class MissedRunWatchdog(
    OverdueJobs overdueJobs,
    IJobStateStore states,
    OutboxDispatcher outbox,
    Telemetry.SchedulerTelemetry telemetry,
    IOptions<SchedulerOptions> options,
    TimeProvider timeProvider,
    ILogger<MissedRunWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        telemetry.ObserveOverdueJobs(() => overdueJobs.LastCount);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                SchedulerLog.WatchdogFailed(logger, e);
            }

            await Task.Delay(options.Value.WatchdogInterval, timeProvider, stoppingToken);
        }
    }

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var overdue in await overdueJobs.FindAsync(now, cancellationToken))
        {
            if (overdue.State.MissedAlertedFire is { } alerted && alerted >= overdue.FireTime)
            {
                continue;
            }

            var job = overdue.Job.Definition;
            var message = FailureMessages.MissedRun(job, overdue.FireTime, overdue.Grace, overdue.State);
            var run = new RunRecord(Guid.NewGuid().ToString("N"), job.Id, Triggers.Schedule, null, overdue.FireTime, null, now,
                RunOutcomes.Failed, 0, ErrorKinds.MissedRun, message, null, AlertSeverity.ForFailure(job));
            var details = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["expectedAt"] = overdue.FireTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["graceMinutes"] = overdue.Grace.TotalMinutes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["schedule"] = $"{job.Cron} ({job.TimeZone})",
                ["paused"] = overdue.State.Paused ? "true" : "false",
            };
            var jobFailed = new JobFailed(Guid.NewGuid().ToString(), now, job.Id, job.Name, run.RunId, Environment.MachineName,
                Triggers.Schedule, 0, ErrorKinds.MissedRun, message, null, details, FailureMessages.Troubleshooting(job, ErrorKinds.MissedRun),
                Severity: AlertSeverity.ForFailure(job));
            if (await states.TryRecordMissedRunAsync(job.Id, overdue.State.MissedAlertedFire, overdue.FireTime, run,
                    outbox.ToMessage(jobFailed), cancellationToken))
            {
                SchedulerLog.MissedRun(logger, job.Id, overdue.FireTime, overdue.Grace);
                outbox.Signal();
            }
        }
    }
}
