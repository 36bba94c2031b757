using Quartz;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Scheduling;

/// <summary>
/// Puts every enabled configured job into Quartz with its cron and time zone. Runs as a hosted service after
/// the options were validated, and before the Quartz hosted service starts the scheduler.
/// </summary>
internal sealed class JobScheduleRegistrar(
    ISchedulerFactory schedulerFactory,
    JobCatalog catalog,
    TimeProvider timeProvider,
    ILogger<JobScheduleRegistrar> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        foreach (var job in catalog.All.Where(j => j.Definition.Enabled))
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
                    .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed))
                .Build();
            await scheduler.ScheduleJob(detail, trigger, new ScheduleJobOptions { Replace = true }, cancellationToken);
            Log.JobScheduled(logger, job.Id, job.Definition.Cron, job.TimeZone.Id, job.Definition.Scope);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
