using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// One circuit per target host. After <c>FailureThreshold</c> consecutive connection failures, timeouts or 5xx,
/// calls to that host fail at once for <c>BreakDuration</c>, so a dead API does not hold every job for its full
/// timeout. Then one call is let through as a probe (half-open): success closes the circuit, failure re-opens it.
/// </summary>
internal sealed class HostCircuitBreaker(IOptions<SchedulerOptions> options, TimeProvider timeProvider)
{
    private readonly Dictionary<string, Circuit> _circuits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    /// <summary>Asks to call <paramref name="host"/>; false (with when it may be tried again) while the circuit is open.</summary>
    public bool TryEnter(string host, out DateTimeOffset openUntil)
    {
        lock (_lock)
        {
            var circuit = Get(host);
            openUntil = circuit.OpenUntil;
            switch (circuit.State)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open when timeProvider.GetUtcNow() >= circuit.OpenUntil:
                    circuit.State = CircuitState.HalfOpen;
                    return true;
                default:
                    // Open, or half-open with its single probe still in flight.
                    return false;
            }
        }
    }

    public void OnSuccess(string host)
    {
        lock (_lock)
        {
            var circuit = Get(host);
            circuit.State = CircuitState.Closed;
            circuit.ConsecutiveFailures = 0;
        }
    }

    public void OnFailure(string host)
    {
        lock (_lock)
        {
            var circuit = Get(host);
            circuit.ConsecutiveFailures++;
            if (circuit.State == CircuitState.HalfOpen || circuit.ConsecutiveFailures >= options.Value.CircuitBreaker.FailureThreshold)
            {
                circuit.State = CircuitState.Open;
                circuit.OpenUntil = timeProvider.GetUtcNow() + options.Value.CircuitBreaker.BreakDuration;
            }
        }
    }

    /// <summary>The call ended without telling anything about the host (cancelled, credential missing): free the probe slot.</summary>
    public void OnInconclusive(string host)
    {
        lock (_lock)
        {
            var circuit = Get(host);
            if (circuit.State == CircuitState.HalfOpen)
            {
                circuit.State = CircuitState.Open;
            }
        }
    }

    /// <summary>Until when calls to <paramref name="host"/> fail fast; null unless the circuit is open.</summary>
    public DateTimeOffset? OpenUntil(string host)
    {
        lock (_lock)
        {
            var circuit = Get(host);
            return circuit.State == CircuitState.Open ? circuit.OpenUntil : null;
        }
    }

    public CircuitState StateOf(string host)
    {
        lock (_lock)
        {
            return Get(host).State;
        }
    }

    private Circuit Get(string host)
    {
        if (!_circuits.TryGetValue(host, out var circuit))
        {
            circuit = new Circuit();
            _circuits[host] = circuit;
        }

        return circuit;
    }

    private sealed class Circuit
    {
        public CircuitState State { get; set; } = CircuitState.Closed;

        public int ConsecutiveFailures { get; set; }

        public DateTimeOffset OpenUntil { get; set; }
    }
}

internal enum CircuitState
{
    Closed,
    Open,
    HalfOpen,
}
