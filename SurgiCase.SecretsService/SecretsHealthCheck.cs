using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SecretsService;

/// <summary>
/// Degraded while any secret is served stale, the breaker keeps AWS calls paused, or a warming alert waits to be
/// published; healthy again after recovery. Never Unhealthy: a readiness probe would take the service out of rotation
/// exactly when its stale values are needed (in a regional outage SQS and Secrets Manager fail together).
/// </summary>
internal sealed class SecretsHealthCheck(SecretCache cache, AwsCircuitBreaker breaker, IOutboxStore alerts) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        int? waiting;
        try
        {
            waiting = await alerts.CountRetryingAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // The outbox is this service's own small database; if it cannot be read, say so rather than guess.
            waiting = null;
        }

        var stale = cache.Slots.Where(s => s.ServingStale).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        var state = breaker.State;
        if (waiting == 0 && stale.Length == 0 && state == BreakerState.Closed)
        {
            return HealthCheckResult.Healthy("Secrets are served fresh from AWS Secrets Manager.");
        }

        var data = new Dictionary<string, object>
        {
            ["circuitBreaker"] = state.ToString(),
            ["staleSecrets"] = stale,
            ["oldestStaleAgeSeconds"] = (long)cache.OldestStaleAge().TotalSeconds,
        };
        if (waiting is { } known)
        {
            data["waitingAlerts"] = known;
        }

        var parts = new List<string>(2);
        if (waiting is null)
        {
            parts.Add("The outbox of secrets-warming alerts could not be read.");
        }
        else if (waiting > 0)
        {
            // An alarm nobody has received yet is the most urgent news: it comes first.
            parts.Add($"{waiting} secrets-warming alert(s) could not be published to SQS yet; retrying.");
        }

        if (state != BreakerState.Closed)
        {
            parts.Add($"Circuit breaker {state}: AWS Secrets Manager calls are paused after {breaker.LastErrorCode}; {stale.Length} secret(s) served stale.");
        }
        else if (stale.Length > 0)
        {
            parts.Add($"{stale.Length} secret(s) served from stale cache: AWS Secrets Manager failed to refresh them.");
        }

        return HealthCheckResult.Degraded(string.Join(" ", parts), data: data);
    }
}
