using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SurgiCase.SecretsService;

/// <summary>
/// Degraded while any secret is served stale or the breaker keeps AWS calls paused; healthy again after recovery.
/// Unhealthy while a warming alert waits to be published.
/// </summary>
internal sealed class SecretsHealthCheck(SecretCache cache, AwsCircuitBreaker breaker, WarmingAlertRetrier alerts) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        // An alarm nobody has received yet is worse than stale values: say so first.
        if (alerts.Waiting > 0)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy(
                $"{alerts.Waiting} secrets-warming alert(s) could not be published to SQS yet; retrying."));
        }

        var stale = cache.Slots.Where(s => s.ServingStale).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        var state = breaker.State;
        if (stale.Length == 0 && state == BreakerState.Closed)
        {
            return Task.FromResult(HealthCheckResult.Healthy("Secrets are served fresh from AWS Secrets Manager."));
        }

        var data = new Dictionary<string, object>
        {
            ["circuitBreaker"] = state.ToString(),
            ["staleSecrets"] = stale,
            ["oldestStaleAgeSeconds"] = (long)cache.OldestStaleAge().TotalSeconds,
        };
        var description = state == BreakerState.Closed
            ? $"{stale.Length} secret(s) served from stale cache: AWS Secrets Manager failed to refresh them."
            : $"Circuit breaker {state}: AWS Secrets Manager calls are paused after {breaker.LastErrorCode}; {stale.Length} secret(s) served stale.";
        return Task.FromResult(HealthCheckResult.Degraded(description, data: data));
    }
}
