namespace SurgiCase.Operations.Jobs;

/// <summary>A job as configured.</summary>
public sealed record JobInfo(
    string Id, string Name, string Cron, string TimeZone, string Scope, bool Enabled, bool Critical,
    string Method, string Url, int TimeoutSeconds, int MaxAttempts);

/// <summary>One run of a job; <see cref="Outcome"/> is one of <see cref="RunOutcomeNames"/>.</summary>
/// <param name="Severity">The severity its alert was sent with (<c>critical</c>, <c>warning</c>); null when it raised none.</param>
/// <param name="FailedItemCount">How many failed items a partial run reported (all are kept; see <see cref="IJobOperations.FailedItemsAsync"/>).</param>
/// <param name="FailedItems">The first of them, when the page shows the run's detail; null otherwise.</param>
public sealed record RunInfo(
    string RunId, string Trigger, string? RequestedBy, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string Outcome, int Attempts, string? ErrorKind, string? ErrorMessage, string? TraceId, string? Severity = null,
    int FailedItemCount = 0, IReadOnlyList<string>? FailedItems = null);

/// <summary>A failed run whose dependency is probed; the job is re-run once (trigger <c>recovery</c>) when it answers.</summary>
/// <param name="Dependency">What is probed, e.g. "the SurgiCase API (api.example:443)".</param>
public sealed record RecoveryInfo(string Dependency, DateTimeOffset ProbingSince);

/// <summary>Who paused a job, and when.</summary>
public sealed record PauseInfo(string? PausedBy, DateTimeOffset? PausedAt);

/// <summary>One row of the overview.</summary>
/// <param name="Pause">Null unless the job is paused.</param>
/// <param name="MissedFireTime">A critical job's fire time that passed its grace with no successful run, else null.</param>
/// <param name="Recovery">An automatic recovery waiting for the dependency that failed the job, else null.</param>
public sealed record JobOverview(
    JobInfo Job, RunInfo? LastRun, DateTimeOffset? NextRun, PauseInfo? Pause, DateTimeOffset? MissedFireTime, RecoveryInfo? Recovery = null)
{
    public bool Paused => Pause is not null;
}

/// <summary>A job's page: its overview row, its newest runs out of <see cref="TotalRuns"/>, and who paused or resumed it.</summary>
public sealed record JobHistory(JobOverview Overview, IReadOnlyList<RunInfo> Runs, int TotalRuns, IReadOnlyList<JobActionInfo> Actions);

/// <summary>An operator's pause or resume.</summary>
public sealed record JobActionInfo(string Action, string Actor, DateTimeOffset At);

/// <summary>The run outcomes the scheduler records (its JSON API's <c>outcome</c>).</summary>
/// <summary>How a run was started (its JSON API's <c>trigger</c>), where the page words it differently.</summary>
public static class RunTriggerNames
{
    /// <summary>The scheduler re-ran the job by itself after its dependency answered again.</summary>
    public const string Recovery = "recovery";

    public static string Label(string trigger) => trigger == Recovery ? "recovery (automatic)" : trigger;
}

public static class RunOutcomeNames
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Partial = "partial";
}
