using Microsoft.Extensions.Options;

namespace SurgiCase.SecretsService;

internal enum BreakerState
{
    Closed = 0,
    HalfOpen = 1,
    Open = 2,
}

/// <summary>
/// Stops calling Secrets Manager after repeated transient failures, so that during an outage lookups get their stale
/// value at once instead of waiting on AWS timeouts. After the cool-down one probe call tests recovery; a failed probe
/// doubles the cool-down (bounded), a successful one closes the breaker. One breaker for the whole service, because an
/// outage of Secrets Manager is not per secret.
/// </summary>
internal sealed class AwsCircuitBreaker(IOptions<SecretsOptions> options, TimeProvider time)
{
    private readonly CircuitBreakerOptions _options = options.Value.CircuitBreaker;
    private readonly Lock _gate = new();
    private BreakerState _state = BreakerState.Closed;
    private int _consecutiveFailures;
    private TimeSpan _currentBreak;
    private DateTimeOffset _openUntil;

    public BreakerState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The AWS error code that opened the breaker, reported to callers while it is open.</summary>
    public string? LastErrorCode { get; private set; }

    /// <summary>True when a call may go to AWS now; false while the breaker is open or its probe is in flight.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case BreakerState.Closed:
                    return true;
                case BreakerState.Open when time.GetUtcNow() >= _openUntil:
                    _state = BreakerState.HalfOpen;
                    return true;
                default:
                    return false;
            }
        }
    }

    /// <summary>AWS answered (a value or a definitive error): it is reachable.</summary>
    public void RecordSuccess()
    {
        lock (_gate)
        {
            _state = BreakerState.Closed;
            _consecutiveFailures = 0;
            _currentBreak = TimeSpan.Zero;
        }
    }

    /// <returns>True when this failure opened the breaker.</returns>
    public bool RecordTransientFailure(string errorCode)
    {
        lock (_gate)
        {
            LastErrorCode = errorCode;
            if (_state == BreakerState.HalfOpen)
            {
                var doubled = _currentBreak + _currentBreak;
                Open(doubled > _options.MaxBreakDuration ? _options.MaxBreakDuration : doubled);
                return true;
            }

            _consecutiveFailures++;
            if (_state == BreakerState.Closed && _consecutiveFailures >= _options.FailureThreshold)
            {
                Open(_options.BreakDuration);
                return true;
            }

            return false;
        }
    }

    private void Open(TimeSpan duration)
    {
        _state = BreakerState.Open;
        _currentBreak = duration;
        _openUntil = time.GetUtcNow() + duration;
    }
}
