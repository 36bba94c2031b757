namespace SurgiCase.Messaging.Contracts;

/// <summary>Why a job failed, in the categories the seed's scheduler distinguishes.</summary>
public static class ErrorKinds
{
    public const string HttpStatus = "HttpStatus";
    public const string Timeout = "Timeout";
    public const string ConnectionFailed = "ConnectionFailed";
    public const string MissedRun = "MissedRun";
    public const string SecretsUnavailable = "SecretsUnavailable";
    public const string Unexpected = "Unexpected";

    /// <summary>The target answered 3xx. Redirects are never followed: the request carries the API key.</summary>
    public const string Redirected = "Redirected";
}

/// <summary>How a run was started.</summary>
public static class Triggers
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
    public const string CatchUp = "catch-up";

    /// <summary>An automatic re-run after the dependency that failed a critical job answered again.</summary>
    public const string Recovery = "recovery";

    /// <summary>The event of <c>POST /notifications/test</c>.</summary>
    public const string Test = "test";
}

/// <summary>How loud an alert is. Null on a message from before the field existed: failures are then critical
/// and partial failures follow the seed's rule (more than half the items failed).</summary>
public static class Severities
{
    public const string Critical = "critical";
    public const string Warning = "warning";
}

public sealed record ExceptionInfo(string Type, string Message, string? StackTrace);

/// <summary>One attempt of a run that failed, for jobs with retries.</summary>
public sealed record AttemptError(int Attempt, DateTimeOffset At, string ErrorKind, string ErrorMessage);

/// <summary>
/// A job run failed for good (its retries are used up). Wire type <c>job-failed.v1</c>. With <paramref name="RetryAt"/> set
/// it is instead the early warning that one attempt timed out and the run goes on: <paramref name="Attempt"/> of
/// <paramref name="MaxAttempts"/> failed and the next starts at <paramref name="RetryAt"/>; the run's outcome follows as
/// its own event. Both fields were added to v1 as optional (null on a final failure and on every older message), so a
/// consumer that does not know them still reads the message, as a failure.
/// </summary>
public sealed record JobFailed(
    string EventId,
    DateTimeOffset OccurredAt,
    string JobId,
    string JobName,
    string RunId,
    string Host,
    string Trigger,
    int Attempt,
    string ErrorKind,
    string ErrorMessage,
    ExceptionInfo? Exception = null,
    IReadOnlyDictionary<string, string>? Details = null,
    IReadOnlyList<string>? Troubleshooting = null,
    IReadOnlyList<AttemptError>? AttemptErrors = null,
    string? Severity = null,
    DateTimeOffset? RetryAt = null,
    int? MaxAttempts = null) : IJobEvent;

/// <summary>A job run finished but some of its items failed. Wire type <c>job-partially-failed.v1</c>.</summary>
public sealed record JobPartiallyFailed(
    string EventId,
    DateTimeOffset OccurredAt,
    string JobId,
    string JobName,
    string RunId,
    string Host,
    int Succeeded,
    int Failed,
    int Total,
    IReadOnlyList<string> FailedItems,
    IReadOnlyList<string> Warnings,
    string? Trigger = null,
    IReadOnlyDictionary<string, string>? Details = null,
    IReadOnlyList<string>? Troubleshooting = null,
    string? Severity = null) : IJobEvent;

/// <summary>A job that had failed succeeded again. Wire type <c>job-recovered.v1</c>.</summary>
/// <param name="Trigger">How the succeeding run was started; <c>recovery</c> when the scheduler re-ran the job by itself.</param>
/// <param name="Dependency">For an automatic recovery: what answered again, e.g. "the SurgiCase API (api.example:443)".</param>
public sealed record JobRecovered(
    string EventId,
    DateTimeOffset OccurredAt,
    string JobId,
    string JobName,
    string RunId,
    string Host,
    DateTimeOffset FailedSince,
    int FailedRuns,
    string? Trigger = null,
    string? Dependency = null) : IJobEvent;
