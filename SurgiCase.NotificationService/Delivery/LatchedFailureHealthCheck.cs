using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// A health check that turns Unhealthy at a failure and stays so until the next success clears it, reporting the
/// event and the error (shown to authenticated callers only).
/// </summary>
internal abstract class LatchedFailureHealthCheck(TimeProvider time, string healthy, string unhealthy) : IHealthCheck
{
    private readonly Lock _gate = new();
    private (string EventId, string Error, DateTimeOffset At)? _lastFailure;

    /// <summary>Whether a failure is latched (the check reports Unhealthy).</summary>
    public bool IsLatched
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure is not null;
            }
        }
    }

    protected void Clear()
    {
        lock (_gate)
        {
            _lastFailure = null;
        }
    }

    protected void Latch(string eventId, string error)
    {
        lock (_gate)
        {
            _lastFailure = (eventId, error, time.GetUtcNow());
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_lastFailure is not { } failure)
            {
                return Task.FromResult(HealthCheckResult.Healthy(healthy));
            }

            var data = new Dictionary<string, object>
            {
                ["eventId"] = failure.EventId,
                ["error"] = failure.Error,
                ["since"] = failure.At,
            };
            return Task.FromResult(HealthCheckResult.Unhealthy(unhealthy, data: data));
        }
    }
}
