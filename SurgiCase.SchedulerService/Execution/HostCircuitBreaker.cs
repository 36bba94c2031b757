using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// One circuit per target host. After <c>FailureThreshold</c> consecutive connection failures, timeouts or 5xx,
/// calls to that host fail at once for <c>BreakDuration</c>, so a dead API does not hold every job for its full
/// timeout. Then one call is let through as a probe (half-open): success closes the circuit, failure re-opens it.
/// Each circuit is a Polly circuit breaker on the injected clock.
/// </summary>
internal sealed class HostCircuitBreaker(IOptions<SchedulerOptions> options, TimeProvider timeProvider)
{
    // Lazy, so that two first calls to a host build one circuit between them.
    private readonly ConcurrentDictionary<string, Lazy<HostCircuit>> _circuits = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a call to <paramref name="host"/> would be refused now (open, or half-open with its probe in flight),
    /// and until when. Lets a caller fail fast before preparing a call (reading the API key) it would not make.
    /// </summary>
    public bool IsRefusing(string host, out DateTimeOffset openUntil)
    {
        var circuit = Get(host);
        openUntil = circuit.OpenUntil;
        return circuit.State switch
        {
            CircuitState.Open or CircuitState.Isolated => timeProvider.GetUtcNow() < openUntil,
            CircuitState.HalfOpen => true,
            _ => false,
        };
    }

    /// <summary>
    /// Makes <paramref name="call"/> through the host's circuit; <paramref name="refused"/> answers instead, with when
    /// the host may be tried again, while the circuit is open or its probe is in flight.
    /// </summary>
    public async Task<AttemptResult> ExecuteAsync(
        string host, Func<CancellationToken, ValueTask<AttemptResult>> call, Func<DateTimeOffset, AttemptResult> refused,
        CancellationToken cancellationToken)
    {
        var circuit = Get(host);
        AttemptResult result;
        try
        {
            result = await circuit.Pipeline.ExecuteAsync(static (call, token) => call(token), call, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return refused(circuit.OpenUntil);
        }

        if (!IsHostFailure(result))
        {
            // Polly only counts the success; resetting the count keeps the circuit opening on consecutive failures.
            await circuit.Control.CloseAsync(CancellationToken.None);
        }

        return result;
    }

    /// <summary>Until when calls to <paramref name="host"/> fail fast; null unless the circuit is open.</summary>
    public DateTimeOffset? OpenUntil(string host)
    {
        var circuit = Get(host);
        return circuit.State is CircuitState.Open or CircuitState.Isolated ? circuit.OpenUntil : null;
    }

    public CircuitState StateOf(string host) => Get(host).State;

    /// <summary>What says the host (or the way to it) is down: no connection, no answer in time, or a 5xx.</summary>
    private static bool IsHostFailure(AttemptResult result) =>
        result.ErrorKind is ErrorKinds.ConnectionFailed or ErrorKinds.Timeout || result.StatusCode >= 500;

    private HostCircuit Get(string host) =>
        _circuits.GetOrAdd(host, static (_, self) => new Lazy<HostCircuit>(self.NewCircuit), this).Value;

    private HostCircuit NewCircuit()
    {
        var settings = options.Value.CircuitBreaker;
        var circuit = new HostCircuit();
        circuit.Pipeline = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = timeProvider }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
            {
                // Polly opens on a failure ratio: every one of at least FailureThreshold calls failed. With the count
                // reset by each success (ExecuteAsync), that is FailureThreshold consecutive failures. Failures more
                // than a day apart (Polly's largest window) do not add up.
                FailureRatio = 1.0,
                MinimumThroughput = settings.FailureThreshold,
                SamplingDuration = TimeSpan.FromDays(1),
                // Only a valid placeholder (Polly wants at least 0.5 s): the generator sets the configured break, which
                // may be shorter, and remembers when it ends for IsRefusing and the recovery probe.
                BreakDuration = TimeSpan.FromMinutes(1),
                BreakDurationGenerator = _ =>
                {
                    circuit.OpenUntil = timeProvider.GetUtcNow() + settings.BreakDuration;
                    return ValueTask.FromResult(settings.BreakDuration);
                },
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { } result && IsHostFailure(result)),
                StateProvider = circuit.StateProvider,
                ManualControl = circuit.Control,
            })
            .Build();
        return circuit;
    }

    private sealed class HostCircuit
    {
        public ResiliencePipeline<AttemptResult> Pipeline { get; set; } = ResiliencePipeline<AttemptResult>.Empty;

        public CircuitBreakerStateProvider StateProvider { get; } = new();

        public CircuitBreakerManualControl Control { get; } = new();

        public CircuitState State => StateProvider.CircuitState;

        // Written by Polly's break-duration generator, under the circuit's lock, as the circuit opens.
        public DateTimeOffset OpenUntil
        {
            get => new(Interlocked.Read(ref _openUntilTicks), TimeSpan.Zero);
            set => Interlocked.Exchange(ref _openUntilTicks, value.UtcTicks);
        }

        private long _openUntilTicks;
    }
}
