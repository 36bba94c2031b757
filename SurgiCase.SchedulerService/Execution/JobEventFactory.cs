using System.Globalization;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Turns a finished run into the contract events; the shape is fixed by the design's contracts. What comes from the API
/// or an exception is capped (<see cref="EventLimits"/>); the run history keeps the full error message.
/// </summary>
internal static class JobEventFactory
{
    public static JobFailed Failed(
        RunContext run, AttemptResult last, int attempts, IReadOnlyList<AttemptError> attemptErrors, DateTimeOffset now) =>
        new(
            EventId: Guid.NewGuid().ToString(),
            OccurredAt: now,
            JobId: run.Job.Id,
            JobName: run.Job.Name,
            RunId: run.Request.RunId,
            Host: Environment.MachineName,
            Trigger: run.Request.Trigger,
            Attempt: attempts,
            ErrorKind: last.ErrorKind ?? ErrorKinds.Unexpected,
            ErrorMessage: EventLimits.Text(last.ErrorMessage ?? $"{run.Job.EffectiveDisplayName} failed", EventLimits.MaxMessageLength),
            Exception: Describe(last),
            Details: Details(run, last, attempts),
            Troubleshooting: FailureMessages.Troubleshooting(run.Job, last.ErrorKind),
            AttemptErrors: attemptErrors.Count > 1
                ? attemptErrors.Select(a => a with { ErrorMessage = EventLimits.Text(a.ErrorMessage, EventLimits.MaxMessageLength) }).ToList()
                : null,
            Severity: AlertSeverity.ForFailure(run.Job));

    /// <summary>The early warning: <paramref name="attempt"/> timed out and the run retries at <paramref name="retryAt"/>.</summary>
    public static JobFailed AttemptTimedOut(RunContext run, AttemptResult failed, int attempt, DateTimeOffset retryAt, DateTimeOffset now) =>
        Failed(run, failed, attempt, [], now) with
        {
            ErrorKind = ErrorKinds.Timeout,
            ErrorMessage = FailureMessages.AttemptTimedOut(run.Job, attempt, run.Job.Retry.MaxAttempts, retryAt),
            Severity = Severities.Warning,
            RetryAt = retryAt,
            MaxAttempts = run.Job.Retry.MaxAttempts,
        };

    public static JobPartiallyFailed PartiallyFailed(
        RunContext run, AttemptResult last, PartialResult partial, string severity, int attempts, DateTimeOffset now) =>
        new(
            EventId: Guid.NewGuid().ToString(),
            OccurredAt: now,
            JobId: run.Job.Id,
            JobName: run.Job.Name,
            RunId: run.Request.RunId,
            Host: Environment.MachineName,
            Succeeded: partial.Succeeded,
            Failed: partial.Failed,
            Total: partial.Total,
            FailedItems: EventLimits.Items(partial.FailedItems),
            Warnings: EventLimits.Items(partial.Warnings),
            Trigger: run.Request.Trigger,
            Details: Details(run, last, attempts),
            Troubleshooting: [.. run.Job.Troubleshooting],
            Severity: severity);

    public static JobRecovered Recovered(RunContext run, IReadOnlyList<RunRecord> failures, DateTimeOffset now) =>
        new(
            EventId: Guid.NewGuid().ToString(),
            OccurredAt: now,
            JobId: run.Job.Id,
            JobName: run.Job.Name,
            RunId: run.Request.RunId,
            Host: Environment.MachineName,
            FailedSince: failures.Min(f => f.StartedAt ?? f.QueuedAt),
            FailedRuns: failures.Count,
            Trigger: run.Request.Trigger,
            // Set for an automatic recovery run only: the email then says what answered again.
            Dependency: run.Request.Recovery?.Dependency);

    private static ExceptionInfo? Describe(AttemptResult result)
    {
        if (result.Exception is { } e)
        {
            // The innermost cause names what actually broke (a SocketException, not "error while copying content").
            var root = e.GetBaseException();
            var message = ReferenceEquals(root, e) ? e.Message : $"{e.Message} ---> {root.GetType().FullName}: {root.Message}";
            return new ExceptionInfo(e.GetType().FullName ?? e.GetType().Name, EventLimits.Text(message, EventLimits.MaxMessageLength),
                EventLimits.Text(e.ToString(), EventLimits.MaxStackTraceLength));
        }

        return result.StatusCode is { } status
            ? new ExceptionInfo(typeof(HttpRequestException).FullName!, $"Response status code does not indicate success: {status}.", null)
            : null;
    }

    private static Dictionary<string, string> Details(RunContext run, AttemptResult last, int attempts)
    {
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["url"] = run.Url.GetLeftPart(UriPartial.Path),
            ["method"] = run.Job.Method.ToUpperInvariant(),
            ["durationMs"] = ((long)last.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["timeoutSeconds"] = run.Job.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            ["attempts"] = attempts.ToString(CultureInfo.InvariantCulture),
            ["startedAt"] = run.StartedAt.ToString("O", CultureInfo.InvariantCulture),
            ["schedule"] = $"{run.Job.Cron} ({run.Job.TimeZone})",
        };
        if (last.StatusCode is { } status)
        {
            details["httpStatus"] = status.ToString(CultureInfo.InvariantCulture);
        }

        if (run.TraceId is { } traceId)
        {
            details["traceId"] = traceId;
        }

        if (run.Request.RequestedBy is { } who)
        {
            details["requestedBy"] = who;
        }

        return details;
    }
}

/// <summary>What the runner knows about the run in progress.</summary>
internal sealed record RunContext(JobDefinition Job, RunRequest Request, Uri Url, DateTimeOffset StartedAt, string? TraceId);
