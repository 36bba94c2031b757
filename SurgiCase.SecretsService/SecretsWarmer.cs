using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SecretsService;

public sealed record WarmingFailure(string Name, string ErrorCode);

public sealed record WarmingReport(int Total, int Refreshed, IReadOnlyList<WarmingFailure> Failed, long DurationMs);

/// <summary>
/// Refreshes every configured secret, as the seed's warming job does, and raises the alarm it lacked: more than half
/// failed → <see cref="JobPartiallyFailed"/>, all failed → <see cref="JobFailed"/>, through the outbox (an alert SQS
/// refuses is kept in the service's database and retried, across restarts). Failed secrets keep their last value,
/// which lookups then serve as stale.
/// </summary>
internal sealed class SecretsWarmer(
    SecretCache cache,
    AwsCircuitBreaker breaker,
    OutboxDispatcher outbox,
    IOptions<SecretsOptions> options,
    TimeProvider time,
    ILogger<SecretsWarmer> logger)
{
    public const string JobId = "secrets-cache-warming";
    public const string JobName = "Secrets Cache Warming";

    public async Task<WarmingReport> WarmAsync(string trigger, CancellationToken cancellationToken)
    {
        var names = options.Value.SecretNames.Distinct(StringComparer.Ordinal).ToArray();
        var started = time.GetTimestamp();
        // With the breaker closed every secret is tried; with it open AWS is known to be down and the run fails fast.
        var attemptAll = breaker.State == BreakerState.Closed;
        var outcomes = await Task.WhenAll(names.Select(n => cache.RefreshAsync(n, attemptAll, cancellationToken)));
        var elapsed = time.GetElapsedTime(started);

        var failed = new List<WarmingFailure>();
        for (var i = 0; i < names.Length; i++)
        {
            if (outcomes[i].Error is { } error)
            {
                failed.Add(new WarmingFailure(names[i], error.ErrorCode));
            }
        }

        var report = new WarmingReport(names.Length, names.Length - failed.Count, failed, (long)elapsed.TotalMilliseconds);
        if (failed.Count == 0)
        {
            SecretsLog.WarmingCompleted(logger, report.Refreshed, elapsed.TotalSeconds);
        }
        else
        {
            SecretsLog.WarmingPartial(logger, report.Refreshed, report.Total);
            await AlertAsync(report, trigger, cancellationToken);
        }

        return report;
    }

    private async Task AlertAsync(WarmingReport report, string trigger, CancellationToken cancellationToken)
    {
        var failedCount = report.Failed.Count;
        if (failedCount * 2 <= report.Total)
        {
            return;
        }

        var failedNames = report.Failed.Select(f => f.Name).ToList();
        var details = report.Failed.ToDictionary(f => f.Name, f => f.ErrorCode, StringComparer.Ordinal);
        var codes = string.Join(", ", report.Failed.Select(f => f.ErrorCode).Distinct(StringComparer.Ordinal));
        IReadOnlyList<string> troubleshooting =
        [
            "Check the AWS Health Dashboard for AWS Secrets Manager in this region.",
            "Check GET /cache on the SecretsService for each secret's last error and age.",
            "Run POST /secrets/warm once AWS has recovered to refresh every secret.",
        ];
        var now = time.GetUtcNow();
        var runId = Guid.NewGuid().ToString("N");
        IJobEvent alert = failedCount == report.Total
            ? new JobFailed(
                Guid.NewGuid().ToString("N"), now, JobId, JobName, runId, Environment.MachineName, trigger, 1,
                ErrorKinds.SecretsUnavailable,
                $"All {report.Total} secrets failed to refresh from AWS Secrets Manager ({codes}); stale cached values are being served where available.",
                Details: details,
                Troubleshooting: troubleshooting)
            : new JobPartiallyFailed(
                Guid.NewGuid().ToString("N"), now, JobId, JobName, runId, Environment.MachineName,
                report.Refreshed, failedCount, report.Total, failedNames,
                [$"{failedCount} of {report.Total} secrets could not be refreshed ({codes}); stale cached values are being served for them."],
                trigger, details, troubleshooting);

        // Through the outbox: stored first, then published, and retried with backoff while SQS refuses. Not cancelled
        // with the request that started the run: an alarm half-stored is an alarm lost.
        await outbox.EnqueueAsync([alert], CancellationToken.None);
    }
}
