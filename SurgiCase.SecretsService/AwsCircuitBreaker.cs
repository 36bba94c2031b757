using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

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
/// outage of Secrets Manager is not per secret. The state machine is Polly's circuit breaker on the injected clock.
/// </summary>
internal sealed class AwsCircuitBreaker
{
    // Polly's largest sampling window: failures further apart than a day do not add up to an outage.
    private static readonly TimeSpan SamplingWindow = TimeSpan.FromDays(1);

    private readonly ResiliencePipeline<FetchOutcome> _pipeline;
    private readonly CircuitBreakerStateProvider _state = new();
    private readonly CircuitBreakerManualControl _control = new();
    private volatile string? _lastErrorCode;

    public AwsCircuitBreaker(IOptions<SecretsOptions> options, TimeProvider time, ILogger<AwsCircuitBreaker> logger)
    {
        var settings = options.Value.CircuitBreaker;
        _pipeline = new ResiliencePipelineBuilder<FetchOutcome> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<FetchOutcome>
            {
                // Polly opens on a failure ratio: every one of at least FailureThreshold calls failed. With the count
                // reset by each answer (ExecuteAsync), that is FailureThreshold consecutive transient failures.
                FailureRatio = 1.0,
                MinimumThroughput = settings.FailureThreshold,
                SamplingDuration = SamplingWindow,
                // Only a valid placeholder (Polly wants at least 0.5 s): the generator below decides every cool-down.
                BreakDuration = TimeSpan.FromSeconds(30),
                BreakDurationGenerator = args => ValueTask.FromResult(CoolDown(settings, args.HalfOpenAttempts)),
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result.Error is { IsTransient: true }),
                OnOpened = _ =>
                {
                    SecretsLog.BreakerOpened(logger, _lastErrorCode ?? "unknown");
                    return default;
                },
                OnClosed = _ =>
                {
                    SecretsLog.BreakerClosed(logger);
                    return default;
                },
                StateProvider = _state,
                ManualControl = _control,
            })
            .Build();
    }

    public BreakerState State => _state.CircuitState switch
    {
        CircuitState.Closed => BreakerState.Closed,
        CircuitState.HalfOpen => BreakerState.HalfOpen,
        _ => BreakerState.Open, // Open, or Isolated (never used here)
    };

    /// <summary>The AWS error code of the latest transient failure, reported to callers while the breaker is open.</summary>
    public string? LastErrorCode => _lastErrorCode;

    /// <summary>
    /// Runs <paramref name="fetch"/> through the breaker. Null when the breaker refused the call (open, or its probe in
    /// flight) — unless <paramref name="bypass"/>: then the call goes to AWS anyway, and an answer still closes the breaker.
    /// </summary>
    public async Task<FetchOutcome?> ExecuteAsync(Func<Task<FetchOutcome>> fetch, bool bypass)
    {
        FetchOutcome outcome;
        try
        {
            outcome = await _pipeline.ExecuteAsync(
                static async (state, _) => state.Breaker.Remember(await state.Fetch()), (Breaker: this, Fetch: fetch), CancellationToken.None);
        }
        catch (BrokenCircuitException) when (bypass)
        {
            outcome = Remember(await fetch());
        }
        catch (BrokenCircuitException)
        {
            return null;
        }

        if (outcome.Error is not { IsTransient: true })
        {
            // AWS answered (a value or a definitive error): it is reachable. Polly only counts the success, so the
            // failure count is reset here, which keeps the breaker opening on consecutive failures, not on a ratio.
            await _control.CloseAsync();
        }

        return outcome;
    }

    // Recorded inside the breaker's call, so it is known before the failure can open the breaker and be reported.
    private FetchOutcome Remember(FetchOutcome outcome)
    {
        if (outcome.Error is { IsTransient: true } error)
        {
            _lastErrorCode = error.ErrorCode;
        }

        return outcome;
    }

    /// <summary>The first cool-down, doubled for every probe that failed since the breaker opened, up to the maximum.</summary>
    private static TimeSpan CoolDown(CircuitBreakerOptions settings, int failedProbes)
    {
        var duration = settings.BreakDuration;
        for (var i = 0; i < failedProbes && duration < settings.MaxBreakDuration; i++)
        {
            duration += duration;
        }

        return duration > settings.MaxBreakDuration ? settings.MaxBreakDuration : duration;
    }
}
