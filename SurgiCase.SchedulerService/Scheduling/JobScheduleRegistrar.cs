using Quartz;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>
/// Puts every enabled configured job into Quartz with its cron and time zone, before the Quartz hosted service
/// starts the schedulers. <c>instance</c> jobs (and every job without PostgreSQL) go to this replica's own in-memory
/// scheduler. In cluster mode the store outlives the configuration, so it is brought in line with it: a missing
/// <c>cluster</c> trigger is added, one whose cron or time zone changed is rescheduled, and one for a job that is
/// disabled or gone is removed. An unchanged stored trigger is left alone, so a starting replica never resets
/// the state (next fire time, a fire in progress) the cluster holds.
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
        if (clustered is not null)
        {
            await RemoveUnconfiguredAsync(clustered, cancellationToken);
        }

        foreach (var job in catalog.All.Where(j => j.Definition.Enabled))
        {
            var shared = clustered is not null && job.Definition.Scope == JobScopes.Cluster;
            var (detail, trigger) = Build(job, shared);
            if (shared)
            {
                if (!await SyncClusteredAsync(clustered!, job, detail, trigger, cancellationToken))
                {
                    continue;
                }
            }
            else
            {
                await local.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
            }

            SchedulerLog.JobScheduled(logger, job.Id, job.Definition.Cron, job.TimeZone.Id, job.Definition.Scope);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Adds the trigger when missing, replaces it when its schedule differs; false when the stored one stands.</summary>
    private async Task<bool> SyncClusteredAsync(IScheduler scheduler, ConfiguredJob job, IJobDetail detail, ITrigger trigger, CancellationToken cancellationToken)
    {
        var stored = await scheduler.GetTrigger(trigger.Key, cancellationToken);
        if (stored is null)
        {
            try
            {
                await scheduler.ScheduleJob(detail, trigger, default, cancellationToken);
                return true;
            }
            catch (ObjectAlreadyExistsException)
            {
                // Another replica stored it between the check and the insert, from the same configuration: theirs stands.
                return false;
            }
        }

        if (stored is ICronTrigger cron && SameSchedule(cron, job))
        {
            return false;
        }

        SchedulerLog.JobRescheduled(logger, job.Id, (stored as ICronTrigger)?.CronExpressionString ?? "?", (stored as ICronTrigger)?.TimeZone.Id ?? "?",
            job.Definition.Cron, job.TimeZone.Id);
        // Job and trigger together: the stored job detail may be from an older configuration too (its description).
        await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
        return true;
    }

    /// <summary>Deletes stored jobs (with their triggers) that are no longer enabled <c>cluster</c> jobs in the configuration.</summary>
    private async Task RemoveUnconfiguredAsync(IScheduler scheduler, CancellationToken cancellationToken)
    {
        var wanted = catalog.All
            .Where(j => j.Definition.Enabled && j.Definition.Scope == JobScopes.Cluster)
            .Select(j => j.Id)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var key in await scheduler.GetJobKeys(GroupMatcher<JobKey>.AnyGroup(), cancellationToken))
        {
            if (!wanted.Contains(key.Name) && await scheduler.DeleteJob(key, cancellationToken))
            {
                SchedulerLog.JobUnscheduled(logger, key.Name);
            }
        }
    }

    // Quartz keeps the expression upper-cased, as the catalog's parsed one is; zones compare by rules so an alias
    // (Windows vs IANA id) read back from the store does not count as a change.
    private static bool SameSchedule(ICronTrigger stored, ConfiguredJob job) =>
        string.Equals(stored.CronExpressionString, job.Schedule.CronExpressionString, StringComparison.Ordinal)
        && (stored.TimeZone.Id == job.TimeZone.Id || stored.TimeZone.HasSameRules(job.TimeZone));

    private (IJobDetail Detail, ITrigger Trigger) Build(ConfiguredJob job, bool shared)
    {
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
        return (detail, trigger);
    }
}
