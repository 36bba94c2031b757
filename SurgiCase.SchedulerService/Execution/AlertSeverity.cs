using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>How loud a run's alert is: from the job's <c>critical</c> flag and, for a partial failure, its threshold.</summary>
internal static class AlertSeverity
{
    /// <summary>A failed run: critical for a critical job, a warning for any other (pool stats must not page anyone).</summary>
    public static string ForFailure(JobDefinition job) => job.Critical ? Severities.Critical : Severities.Warning;

    /// <summary>A partial failure: the job's severity above its threshold; below it a warning, or null when it is not alerted.</summary>
    public static string? ForPartial(JobDefinition job, PartialResult partial) =>
        FailedPercent(partial) > job.PartialFailure.ThresholdPercent ? ForFailure(job)
        : job.PartialFailure.BelowThreshold == PartialBelowThreshold.Warning ? Severities.Warning
        : null;

    /// <summary>A body that reports failures but no usable total counts as all failed: nothing says otherwise.</summary>
    public static double FailedPercent(PartialResult partial) =>
        partial.Total > 0 ? Math.Min(100, partial.Failed * 100.0 / partial.Total) : 100;
}
