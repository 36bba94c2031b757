using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Recovery;

/// <summary>
/// Which failures are recovered automatically, and what to probe for them. Only a critical job with
/// <see cref="JobDefinition.AutoRecovery"/> on, failed for good by a dependency (unreachable or breaker open, timeout, 5xx,
/// secrets unavailable), and not itself a recovery run: a failed recovery run is alerted and never re-run (no loops).
/// </summary>
internal sealed class RecoveryPlanner(IOptions<SurgiCaseApiOptions> apiOptions)
{
    public static bool IsDependencyFailure(AttemptResult result) => result.ErrorKind switch
    {
        ErrorKinds.ConnectionFailed or ErrorKinds.Timeout or ErrorKinds.SecretsUnavailable => true,
        ErrorKinds.HttpStatus => result.StatusCode >= 500,
        _ => false,
    };

    /// <summary>The recovery to store with the failed run, or null when this failure is not re-run automatically.</summary>
    public PendingRecovery? PlanFor(JobDefinition job, RunRequest request, Uri url, AttemptResult result, DateTimeOffset failedAt)
    {
        if (!job.Critical || !job.AutoRecovery || request.Trigger == Triggers.Recovery || !IsDependencyFailure(result))
        {
            return null;
        }

        return new PendingRecovery(request.RunId, job.Id, result.ErrorKind!, Describe(result.ErrorKind!, url),
            IdempotencyKeys.For(job, request), failedAt);
    }

    /// <summary>The dependency in words, as the page and the recovery email name it.</summary>
    public string Describe(string errorKind, Uri url) =>
        errorKind == ErrorKinds.SecretsUnavailable ? "the SecretsService"
        : TargetsApi(url) ? $"the SurgiCase API ({url.Authority})"
        : url.Authority;

    /// <summary>
    /// What the probe asks: the API's health path (<c>SurgiCaseApi:HealthPath</c>) for a job calling the API, else the
    /// target host's <c>/health</c> (the SurgiCase services' own). Anonymous: a probe never carries the API key.
    /// </summary>
    public Uri HealthUrlFor(Uri url)
    {
        var api = apiOptions.Value;
        return TargetsApi(url) ? new Uri(api.BaseAddress, api.HealthPath) : new Uri(new Uri(url.GetLeftPart(UriPartial.Authority)), "/health");
    }

    private bool TargetsApi(Uri url)
    {
        var api = apiOptions.Value.BaseAddress;
        return string.Equals(url.Scheme, api.Scheme, StringComparison.OrdinalIgnoreCase)
               && string.Equals(url.Authority, api.Authority, StringComparison.OrdinalIgnoreCase);
    }
}
