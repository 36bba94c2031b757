using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.SchedulerService.Jobs;

/// <summary>Bound from the <c>Scheduler</c> configuration section. The jobs are checked by <see cref="SchedulerJobsValidator"/>.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Folder of the SQLite file holding run history (created if missing).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Scheduler:DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>Manual and scheduled runs executed at the same time, at most.</summary>
    [Range(1, 64)]
    public int MaxConcurrentRuns { get; set; } = 4;

    public List<JobDefinition> Jobs { get; set; } = [];

    /// <summary>Runs kept per job; older ones are pruned after each run.</summary>
    [Range(1, 1_000_000)]
    public int RunRetention { get; set; } = 1000;

    /// <summary>How long operators' pause and resume records (<c>job_actions</c>) are kept; the retention sweep deletes older ones.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan JobActionRetention { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How long after a fire time a critical job may still succeed before it counts as missed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MissedRunGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the missed-run watchdog looks.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Quartz instance id in cluster mode; unique per replica. Empty: machine name and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Cluster mode: how often a replica checks in; a replica silent for twice this is taken as dead.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    [ValidateObjectMembers]
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    [ValidateObjectMembers]
    public RecoveryOptions Recovery { get; set; } = new();
}

/// <summary>Per target host: after <see cref="FailureThreshold"/> consecutive failures, calls fail fast for <see cref="BreakDuration"/>.</summary>
public sealed class CircuitBreakerOptions
{
    /// <summary>At least 2, as Polly's circuit breaker requires.</summary>
    [Range(2, 1000)]
    public int FailureThreshold { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}

[OptionsValidator]
internal sealed partial class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SchedulerOptions>.Validate(string? name, SchedulerOptions options) => Validate(SchedulerOptions.SectionName, options);
}
