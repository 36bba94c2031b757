using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>The badge a job wears on the page.</summary>
internal enum JobStatus
{
    NotRunYet,
    Ok,
    Failed,
    Partial,
    Running,
    Paused,
    Overdue,
    Disabled,
}

/// <summary>One job as the page shows it.</summary>
internal sealed record JobRow(
    ConfiguredJob Job,
    JobStatus Status,
    RunRecord? LastRun,
    DateTimeOffset? NextRun,
    JobState? State,
    OverdueJob? Overdue)
{
    public JobDefinition Definition => Job.Definition;

    public bool Paused => State?.Paused == true;

    public string ScheduleInWords => CronDescription.Describe(Definition.Cron, Job.TimeZone.Id);

    /// <summary>
    /// What needs the operator's eye first: a run in progress, then a paused job (nothing will run), then a missed
    /// critical run, then the last run's outcome.
    /// </summary>
    public static JobStatus StatusOf(JobDefinition job, RunRecord? last, JobState? state, OverdueJob? overdue) =>
        !job.Enabled ? JobStatus.Disabled
        : last?.Outcome is RunOutcomes.Running or RunOutcomes.Queued ? JobStatus.Running
        : state?.Paused == true ? JobStatus.Paused
        : overdue is not null ? JobStatus.Overdue
        : last?.Outcome switch
        {
            null => JobStatus.NotRunYet,
            RunOutcomes.Failed => JobStatus.Failed,
            RunOutcomes.Partial => JobStatus.Partial,
            _ => JobStatus.Ok,
        };
}

internal static class JobStatusText
{
    public static string Label(this JobStatus status) => status switch
    {
        JobStatus.NotRunYet => "not run yet",
        JobStatus.Ok => "ok",
        JobStatus.Failed => "failed",
        JobStatus.Partial => "partial",
        JobStatus.Running => "running",
        JobStatus.Paused => "paused",
        JobStatus.Overdue => "overdue",
        _ => "disabled",
    };

    /// <summary>The CSS modifier of the badge (<c>badge--failed</c>); also what tests look for.</summary>
    public static string Css(this JobStatus status) => status switch
    {
        JobStatus.NotRunYet => "idle",
        JobStatus.Disabled => "idle",
        _ => status.Label(),
    };

    public static string OutcomeCss(string outcome) => outcome switch
    {
        RunOutcomes.Succeeded => "ok",
        RunOutcomes.Failed => "failed",
        RunOutcomes.Partial => "partial",
        RunOutcomes.Running or RunOutcomes.Queued => "running",
        _ => "idle",
    };
}
