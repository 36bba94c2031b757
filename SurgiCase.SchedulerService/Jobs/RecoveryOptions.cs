using System.ComponentModel.DataAnnotations;

namespace SurgiCase.SchedulerService.Jobs;

/// <summary>
/// Automatic recovery (<c>Scheduler:Recovery</c>): after a critical job failed because of a dependency, the dependency is
/// probed every <see cref="ProbeInterval"/> and the job re-run once when it answers again.
/// </summary>
public sealed class RecoveryOptions
{
    /// <summary>How often a pending recovery's dependency is probed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Fraction of the interval added or removed at random, so replicas do not probe in lock-step.</summary>
    [Range(0, 0.9)]
    public double ProbeJitterRatio { get; set; } = 0.2;

    /// <summary>One probe's time limit.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Probing stops this long after the failure (and when the job's next scheduled fire time arrives).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(6);

    /// <summary>No automatic re-run when the job's next scheduled fire is this close: the schedule runs it anyway.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan NextFireMargin { get; set; } = TimeSpan.FromMinutes(15);
}
