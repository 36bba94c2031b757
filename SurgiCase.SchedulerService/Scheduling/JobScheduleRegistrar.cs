using Quartz;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>Which Quartz scheduler holds which jobs. Without a PostgreSQL connection every job is in the in-memory one.</summary>
internal sealed record SchedulerTopology(bool Clustered)
{
    /// <summary>The clustered scheduler's name; every replica must use the same, it is the cluster's key in the store.</summary>
    public const string ClusteredSchedulerName = "surgicase-cluster";
}

/// <summary>
/// Puts every enabled configured job into Quartz with its cron and time zone, before the Quartz hosted service
/// starts the schedulers. In cluster mode, <c>cluster</c> jobs go to the clustered store and are only added when
/// missing (ignore duplicates), so a starting replica never replaces a trigger the cluster already holds;
/// <c>instance</c> jobs go to each replica's own in-memory scheduler.
/// </summary>
internal sealed class JobScheduleRegistrar(
    ISchedulerFactory schedulerFactory,
    JobCatalog catalog,
    SchedulerTopology topology,
    TimeProvider timeProvider,
    ILogger<JobScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var local = await schedulerFactory.GetScheduler(cancellationToken);
        var clustered = topology.Clustered
            ? await schedulerFactory.GetRequiredScheduler(SchedulerTopology.ClusteredSchedulerName, cancellationToken)
            : null;
        foreach (var job in catalog.All.Where(j => j.Definition.Enabled))
        {
            var shared = clustered is not null && job.Definition.Scope == JobScopes.Cluster;
            var scheduler = shared ? clustered! : local;
            var key = new JobKey(job.Id);
            var detail = JobBuilder.Create<ScheduledHttpJob>()
                .WithIdentity(key)
                .WithDescription(job.Definition.Name)
                .DisallowConcurrentExecution()
                .Build();
            var trigger = TriggerBuilder.Create(timeProvider)
                .WithIdentity(job.Id)
                .ForJob(key)
                .WithSchedule(CronScheduleBuilder.Create(job.Schedule)
                    .InTimeZone(job.TimeZone)
                    // Stored triggers missed while every replica was down are left to CatchUpService, which runs
                    // them once across the cluster; Quartz's own misfire firing would run them a second time.
                    .WithMisfireInstruction(shared ? CronTriggerMisfireInstruction.DoNothing : CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            if (shared)
            {
                if (await scheduler.Exists(trigger.Key, cancellationToken))
                {
                    continue;
                }

                try
                {
                    await scheduler.ScheduleJob(detail, trigger, default, cancellationToken);
                }
                catch (ObjectAlreadyExistsException)
                {
                    // Another replica stored it between the check and the insert: theirs stands.
                    continue;
                }
            }
            else
            {
                await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
            }

            Log.JobScheduled(logger, job.Id, job.Definition.Cron, job.TimeZone.Id, job.Definition.Scope);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
