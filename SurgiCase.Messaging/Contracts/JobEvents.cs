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
}

/// <summary>How a run was started.</summary>
public static class Triggers
{
    public const string Schedule = "schedule";
    public const string Manual = "manual";
    public const string CatchUp = "catch-up";
}

public sealed record ExceptionInfo(string Type, string Message, string? StackTrace);

/// <summary>One attempt of a run that failed, for jobs with retries.</summary>
public sealed record AttemptError(int Attempt, DateTimeOffset At, string ErrorKind, string ErrorMessage);

/// <summary>A job run failed for good (its retries are used up). Wire type <c>job-failed.v1</c>.</summary>
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
    IReadOnlyList<AttemptError>? AttemptErrors = null) : IJobEvent;

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
    IReadOnlyList<string>? Troubleshooting = null) : IJobEvent;

/// <summary>A job that had failed succeeded again. Wire type <c>job-recovered.v1</c>.</summary>
public sealed record JobRecovered(
    string EventId,
    DateTimeOffset OccurredAt,
    string JobId,
    string JobName,
    string RunId,
    string Host,
    DateTimeOffset FailedSince,
    int FailedRuns) : IJobEvent;
