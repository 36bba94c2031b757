using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Whether alerts are getting through. Unhealthy from the moment an alert could not be delivered on any
/// channel until the next alert gets through, so a dashboard shows a silent failure as red.
/// </summary>
internal sealed class DeliveryHealth(TimeProvider time) : IHealthCheck
{
    private readonly Lock _gate = new();
    private (string EventId, string Error, DateTimeOffset At)? _lastFailure;

    public void Delivered()
    {
        lock (_gate)
        {
            _lastFailure = null;
        }
    }

    public void AllChannelsFailed(string eventId, string error)
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
                return Task.FromResult(HealthCheckResult.Healthy("Alerts are being delivered."));
            }

            var data = new Dictionary<string, object>
            {
                ["eventId"] = failure.EventId,
                ["error"] = failure.Error,
                ["since"] = failure.At,
            };
            return Task.FromResult(HealthCheckResult.Unhealthy("An alert could not be delivered on any channel.", data: data));
        }
    }
}
