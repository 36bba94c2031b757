using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// The AWS breaker (Polly's circuit breaker) on the fake clock: N consecutive transient failures open it, an answer
/// resets the count, each failed probe doubles the cool-down up to the maximum, and a warming call bypasses it.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AwsCircuitBreakerTests
{
    private static readonly FetchOutcome Value = new(new CachedSecret("s", "v", "1", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch), null);
    private static readonly FetchOutcome Transient = new(null, new SecretFetchError("ServiceUnavailable", 503, true, false));
    private static readonly FetchOutcome NotFound = new(null, new SecretFetchError("ResourceNotFoundException", 400, false, false));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly FakeLogger<AwsCircuitBreaker> _logger = new();

    [Fact]
    public async Task Consecutive_failures_open_it_and_each_failed_probe_doubles_the_cool_down_up_to_the_maximum()
    {
        var breaker = NewBreaker();
        await FailAsync(breaker, 2);
        Assert.Equal(BreakerState.Closed, breaker.State);
        // A definitive answer is an answer: AWS is reachable, the count starts again.
        Assert.True(await CallAsync(breaker, NotFound));
        await FailAsync(breaker, 2);
        Assert.Equal(BreakerState.Closed, breaker.State);
        await FailAsync(breaker, 1);
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal("ServiceUnavailable", breaker.LastErrorCode);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 4 && r.Message.Contains("ServiceUnavailable", StringComparison.Ordinal));

        // Cool-downs: 30 s, then 60 s and 120 s after failed probes, then capped at 120 s.
        foreach (var seconds in new[] { 30, 60, 120, 120 })
        {
            _time.Advance(TimeSpan.FromSeconds(seconds - 1));
            Assert.False(await CallAsync(breaker, Transient));
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await CallAsync(breaker, Transient)); // the probe, failing
            Assert.Equal(BreakerState.Open, breaker.State);
        }

        _time.Advance(TimeSpan.FromSeconds(120));
        Assert.True(await CallAsync(breaker, Value));
        Assert.Equal(BreakerState.Closed, breaker.State);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 5);

        // Closed again, the next outage starts from the first cool-down.
        await FailAsync(breaker, 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await CallAsync(breaker, Value));
    }

    [Fact]
    public async Task A_bypassing_call_goes_to_AWS_while_open_and_its_answer_closes_the_breaker()
    {
        var breaker = NewBreaker();
        await FailAsync(breaker, 3);
        Assert.Null(await breaker.ExecuteAsync(() => Task.FromResult(Value), bypass: false));

        Assert.Equal(Transient, await breaker.ExecuteAsync(() => Task.FromResult(Transient), bypass: true));
        Assert.Equal(BreakerState.Open, breaker.State);
        Assert.Equal(Value, await breaker.ExecuteAsync(() => Task.FromResult(Value), bypass: true));
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    [Fact]
    public async Task While_its_probe_is_in_flight_every_other_call_is_refused()
    {
        var breaker = NewBreaker();
        await FailAsync(breaker, 3);
        _time.Advance(TimeSpan.FromSeconds(30));
        var answer = new TaskCompletionSource<FetchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = breaker.ExecuteAsync(() => answer.Task, bypass: false);

        Assert.Equal(BreakerState.HalfOpen, breaker.State);
        Assert.False(await CallAsync(breaker, Value));
        answer.SetResult(Value);
        Assert.Equal(Value, await probe);
        Assert.Equal(BreakerState.Closed, breaker.State);
    }

    private AwsCircuitBreaker NewBreaker() => new(
        Options.Create(new SecretsOptions
        {
            CircuitBreaker = new CircuitBreakerOptions
            {
                FailureThreshold = 3,
                BreakDuration = TimeSpan.FromSeconds(30),
                MaxBreakDuration = TimeSpan.FromMinutes(2),
            },
        }),
        _time,
        _logger);

    private static async Task FailAsync(AwsCircuitBreaker breaker, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(await CallAsync(breaker, Transient));
        }
    }

    /// <summary>Makes a call answering <paramref name="outcome"/>; false when the breaker refused it without calling.</summary>
    private static async Task<bool> CallAsync(AwsCircuitBreaker breaker, FetchOutcome outcome)
    {
        var called = false;
        await breaker.ExecuteAsync(() =>
        {
            called = true;
            return Task.FromResult(outcome);
        }, bypass: false);
        return called;
    }
}
