namespace SurgiCase.Operations.Jobs;

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

internal static class JobStatusText
{
    /// <summary>
    /// What needs the operator's eye first: a run in progress, then a paused job (nothing will run), then a missed
    /// critical run, then the last run's outcome.
    /// </summary>
    public static JobStatus StatusOf(JobOverview job) =>
        !job.Job.Enabled ? JobStatus.Disabled
        : job.LastRun?.Outcome is RunOutcomeNames.Running or RunOutcomeNames.Queued ? JobStatus.Running
        : job.Paused ? JobStatus.Paused
        : job.MissedFireTime is not null ? JobStatus.Overdue
        : job.LastRun?.Outcome switch
        {
            null => JobStatus.NotRunYet,
            RunOutcomeNames.Failed => JobStatus.Failed,
            RunOutcomeNames.Partial => JobStatus.Partial,
            _ => JobStatus.Ok,
        };

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
        RunOutcomeNames.Succeeded => "ok",
        RunOutcomeNames.Failed => "failed",
        RunOutcomeNames.Partial => "partial",
        RunOutcomeNames.Running or RunOutcomeNames.Queued => "running",
        _ => "idle",
    };
}
