using System.Globalization;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>The seed's failure sentences, e.g. <c>Provider payment report failed with HTTP status 500</c>.</summary>
internal static class FailureMessages
{
    public const string CheckApiRunning = "Check if the SurgiCase API server is running";

    public static string HttpStatus(JobDefinition job, int status) =>
        $"{job.EffectiveDisplayName} failed with HTTP status {status.ToString(CultureInfo.InvariantCulture)}";

    public static string Redirected(JobDefinition job, int status, Uri? location) =>
        $"{job.EffectiveDisplayName} failed: the SurgiCase API answered HTTP {status.ToString(CultureInfo.InvariantCulture)} redirecting to " +
        $"{(location is { IsAbsoluteUri: true } ? location.Authority : "another address")}; redirects are not followed, so the API key stays with the configured host";

    public static string AnswerTooLarge(JobDefinition job, int maxBytes) =>
        $"{job.EffectiveDisplayName} failed: the SurgiCase API's answer is larger than " +
        $"{(maxBytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MB and was not read";

    public static string Timeout(JobDefinition job) => $"{job.EffectiveDisplayName} timed out (>{Describe(job.Timeout)})";

    /// <summary>Why a 409 after a timeout counts as the timeout: the API still works on the first request.</summary>
    public static string StillRunning(JobDefinition job) =>
        $"{job.EffectiveDisplayName}: the SurgiCase API answered 409 to the retry, so it is still working on the request that timed out " +
        $"(same Idempotency-Key); the run counts it as the timeout (>{Describe(job.Timeout)})";

    /// <summary>"Provider payment report: attempt 1 of 3 timed out after 5 minutes; retrying at 2025-10-20 09:05:40 UTC".</summary>
    public static string AttemptTimedOut(JobDefinition job, int attempt, int maxAttempts, DateTimeOffset retryAt) =>
        $"{job.EffectiveDisplayName}: attempt {attempt.ToString(CultureInfo.InvariantCulture)} of {maxAttempts.ToString(CultureInfo.InvariantCulture)} " +
        $"timed out after {Describe(job.Timeout)}; retrying at {retryAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC";

    public static string ConnectionFailed(JobDefinition job) =>
        $"{job.EffectiveDisplayName} failed: could not connect to the SurgiCase API";

    public static string CircuitOpen(JobDefinition job, string host, DateTimeOffset openUntil) =>
        $"{job.EffectiveDisplayName} failed: could not connect to the SurgiCase API (the circuit for {host} is open after repeated " +
        $"connection failures; not calling it again before {openUntil.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC)";

    public static string MissedRun(JobDefinition job, DateTimeOffset fireTime, TimeSpan grace, JobState? state) =>
        $"{job.EffectiveDisplayName} did not run: no successful run for its scheduled time " +
        $"{fireTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC within {Describe(grace)}" +
        (state is { Paused: true } ? $" (the job is paused by {state.PausedBy})" : "");

    public static string SecretsUnavailable(JobDefinition job, string? secretName, string reason) =>
        $"{job.EffectiveDisplayName} failed: the SurgiCase API credential could not be obtained" +
        (secretName is null ? "" : $" from secret {secretName}") + $" ({reason})";

    public static string Unexpected(JobDefinition job, Exception exception) =>
        $"{job.EffectiveDisplayName} failed with an unexpected error: {exception.GetType().Name}";

    public static string Partial(JobDefinition job, PartialResult partial) =>
        $"{job.EffectiveDisplayName} completed with {partial.Failed} of {partial.Total} items failed";

    /// <summary>"5 minutes", "1 minute", "90 seconds": the seed says "(>5 minutes)" for its 300 s timeout.</summary>
    public static string Describe(TimeSpan timeout)
    {
        var seconds = (int)timeout.TotalSeconds;
        if (seconds >= 60 && seconds % 60 == 0)
        {
            var minutes = seconds / 60;
            return minutes == 1 ? "1 minute" : $"{minutes} minutes";
        }

        return seconds == 1 ? "1 second" : $"{seconds} seconds";
    }

    /// <summary>The kind-specific first step, then the job's own steps.</summary>
    public static IReadOnlyList<string> Troubleshooting(JobDefinition job, string? errorKind)
    {
        var steps = new List<string>();
        switch (errorKind)
        {
            case Messaging.Contracts.ErrorKinds.ConnectionFailed:
                steps.Add(CheckApiRunning);
                break;
            case Messaging.Contracts.ErrorKinds.Timeout:
                steps.Add($"Check the SurgiCase API's load and database: the call took longer than {Describe(job.Timeout)}");
                break;
            case Messaging.Contracts.ErrorKinds.HttpStatus:
                steps.Add("Check the SurgiCase API logs for the error at the time of the run");
                break;
            case Messaging.Contracts.ErrorKinds.Redirected:
                steps.Add("Check the job's URL (Scheduler:Jobs) and SurgiCaseApi:BaseAddress: the API moved or answers on another " +
                    "address (http to https, a new host); point the job at the final address");
                break;
            case Messaging.Contracts.ErrorKinds.MissedRun:
                steps.Add("Check that the scheduler service is running and that the job is not paused (GET /jobs/" + job.Id + ")");
                break;
            case Messaging.Contracts.ErrorKinds.SecretsUnavailable:
                steps.Add("Check SecretsService health (GET /health and GET /cache of secrets-service)");
                steps.Add("Check AWS Secrets Manager status: SecretsService serves a cached copy only of secrets it has read before");
                steps.Add("Check that the secret named in the error exists and is on scheduler-service's allow-list");
                break;
        }

        steps.AddRange(job.Troubleshooting);
        steps.Add($"Re-run the job once fixed: POST /jobs/{job.Id}/run");
        return steps;
    }
}
