using Microsoft.Extensions.Options;
using Quartz;

namespace SurgiCase.SchedulerService.Jobs;

/// <summary>A validated job with its parsed schedule.</summary>
public sealed record ConfiguredJob(JobDefinition Definition, CronExpression Schedule, TimeZoneInfo TimeZone)
{
    public string Id => Definition.Id;

    public DateTimeOffset? NextFireAfter(DateTimeOffset instant) => Schedule.GetNextValidTimeAfter(instant);
}

/// <summary>The configured jobs by id. Built once from the validated options.</summary>
internal sealed class JobCatalog
{
    private readonly Dictionary<string, ConfiguredJob> _jobs;

    public JobCatalog(IOptions<SchedulerOptions> options)
    {
        _jobs = new Dictionary<string, ConfiguredJob>(StringComparer.Ordinal);
        foreach (var definition in options.Value.Jobs)
        {
            SchedulerJobsValidator.TryFindTimeZone(definition.TimeZone, out var zone);
            var cron = CronExpression.Parse(definition.Cron).WithTimeZone(zone);
            _jobs[definition.Id] = new ConfiguredJob(definition, cron, zone);
        }
    }

    public IReadOnlyCollection<ConfiguredJob> All => _jobs.Values;

    public ConfiguredJob? Find(string id) => _jobs.GetValueOrDefault(id);
}
