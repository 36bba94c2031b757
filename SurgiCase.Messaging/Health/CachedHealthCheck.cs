using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SurgiCase.Messaging.Health;

/// <summary>
/// A health check whose answer is kept for <see cref="CacheFor"/>: probes from several orchestrators and people then
/// cost one query per period, and concurrent probes wait for one computation and take its answer. Register the
/// check as a singleton (AddCheck&lt;T&gt; uses a registered instance instead of making one per probe).
/// </summary>
public abstract class CachedHealthCheck(TimeProvider time) : IHealthCheck, IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (HealthCheckResult Result, DateTimeOffset At)? _cached;

    protected abstract TimeSpan CacheFor { get; }

    /// <summary>The clock the cache runs on, for the derived check's own use.</summary>
    protected TimeProvider Time => time;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } refreshed)
            {
                return refreshed;
            }

            var result = await ComputeAsync(context, cancellationToken);
            _cached = (result, time.GetUtcNow());
            return result;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose()
    {
        _refresh.Dispose();
        GC.SuppressFinalize(this);
    }

    protected abstract Task<HealthCheckResult> ComputeAsync(HealthCheckContext context, CancellationToken cancellationToken);

    private HealthCheckResult? Fresh() =>
        _cached is { } c && time.GetUtcNow() - c.At < CacheFor ? c.Result : null;
}
