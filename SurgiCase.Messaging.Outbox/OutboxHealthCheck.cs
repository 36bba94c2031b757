using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// The outbox as <c>/health</c> shows it: Degraded when an event was parked (an alert nobody will receive without a
/// person looking) or when the oldest pending event waits longer than <see cref="OutboxOptions.PendingAgeWarning"/>.
/// Never Unhealthy: taking the service out of rotation would not publish anything sooner.
/// </summary>
internal sealed class OutboxHealthCheck(IOutboxStore outbox, OutboxMetrics metrics, IOptions<OutboxOptions> options) : IHealthCheck
{
    public const string Name = "outbox";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        OutboxStats stats;
        try
        {
            stats = await outbox.GetStatsAsync(cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded("The outbox could not be read.", e);
        }

        metrics.Observe(stats);
        var age = metrics.OldestPendingAge(stats);
        var data = new Dictionary<string, object>
        {
            ["pending"] = stats.Pending,
            ["oldestPendingAgeSeconds"] = (long)age.TotalSeconds,
            ["parked"] = stats.Parked,
        };
        var parts = new List<string>(2);
        if (stats.Parked > 0)
        {
            parts.Add($"{stats.Parked} event(s) parked in the outbox: they will not be published (too large or out of attempts); see the log.");
        }

        if (stats.Pending > 0 && age > options.Value.PendingAgeWarning)
        {
            parts.Add($"{stats.Pending} event(s) waiting to be published, the oldest for {(long)age.TotalSeconds}s.");
        }

        return parts.Count == 0
            ? HealthCheckResult.Healthy($"{stats.Pending} event(s) pending.", data)
            : HealthCheckResult.Degraded(string.Join(" ", parts), data: data);
    }
}
