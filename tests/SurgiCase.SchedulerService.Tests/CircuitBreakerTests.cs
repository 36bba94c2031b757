using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>The per-host breaker on the fake clock: open after N failures, fail fast, one half-open probe, close on success.</summary>
public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private const string JobId = "breaker-probe";
    private const string Host = "api.example:80";
    private static readonly AttemptResult Up = new() { Outcome = RunOutcomes.Succeeded, StatusCode = 200 };
    private static readonly AttemptResult Down = new() { Outcome = RunOutcomes.Failed, ErrorKind = ErrorKinds.ConnectionFailed };
    private static readonly AttemptResult Refused = new() { Outcome = RunOutcomes.Failed, ErrorKind = ErrorKinds.ConnectionFailed };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    private HostCircuitBreaker NewBreaker() => new(
        Options.Create(new SchedulerOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) } }),
        _time);

    [Fact]
    public async Task Opens_after_consecutive_failures_probes_once_when_half_open_and_closes_on_success()
    {
        var breaker = NewBreaker();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await CallAsync(breaker, Host, Down));
        }

        Assert.True(await CallAsync(breaker, Host, Up));
        // A success resets the count: two more failures do not open it.
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await CallAsync(breaker, Host, Down));
        }

        Assert.Equal(CircuitState.Closed, breaker.StateOf(Host));
        Assert.True(await CallAsync(breaker, Host, Down));
        Assert.True(breaker.IsRefusing(Host, out var openUntil));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), openUntil);
        Assert.Equal(openUntil, breaker.OpenUntil(Host));
        Assert.False(await CallAsync(breaker, Host, Up));
        Assert.True(await CallAsync(breaker, "other-host:80", Up));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(breaker.IsRefusing(Host, out _));
        Assert.False(await CallAsync(breaker, Host, Up));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(breaker.IsRefusing(Host, out _));

        // The probe: while it is in flight everyone else waits for it.
        var probeAnswer = new TaskCompletionSource<AttemptResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var probe = breaker.ExecuteAsync(Host, _ => new ValueTask<AttemptResult>(probeAnswer.Task), _ => Refused, CancellationToken.None);
        Assert.Equal(CircuitState.HalfOpen, breaker.StateOf(Host));
        Assert.True(breaker.IsRefusing(Host, out _));
        Assert.False(await CallAsync(breaker, Host, Up));
        probeAnswer.SetResult(Down);
        Assert.Same(Down, await probe);
        Assert.Equal(CircuitState.Open, breaker.StateOf(Host));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await CallAsync(breaker, Host, Up));
        Assert.Equal(CircuitState.Closed, breaker.StateOf(Host));
        Assert.Null(breaker.OpenUntil(Host));
        Assert.False(breaker.IsRefusing(Host, out _));
    }

    [Fact]
    public async Task A_break_shorter_than_Pollys_minimum_is_kept()
    {
        var breaker = new HostCircuitBreaker(
            Options.Create(new SchedulerOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 2, BreakDuration = TimeSpan.FromMilliseconds(100) } }),
            _time);
        Assert.True(await CallAsync(breaker, Host, Down));
        Assert.True(await CallAsync(breaker, Host, Down));
        Assert.True(breaker.IsRefusing(Host, out var openUntil));
        Assert.Equal(_time.GetUtcNow().AddMilliseconds(100), openUntil);
        _time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(await CallAsync(breaker, Host, Up));
    }

    /// <summary>Makes a call answering <paramref name="answer"/>; false when the circuit refused it without calling.</summary>
    private static async Task<bool> CallAsync(HostCircuitBreaker breaker, string host, AttemptResult answer)
    {
        var called = false;
        await breaker.ExecuteAsync(host, _ =>
        {
            called = true;
            return ValueTask.FromResult(answer);
        }, _ => Refused, CancellationToken.None);
        return called;
    }

    [Fact]
    public async Task An_open_circuit_fails_the_run_as_ConnectionFailed_without_calling_the_API()
    {
        var publisher = new RecordingPublisher();
        using var app = new SchedulerApp(
            _simulator.BaseAddress,
            SchedulerApp.Job(7, JobId, "/api/reports/provider-payment", timeoutSeconds: 300).Concat(new Dictionary<string, string?>
            {
                ["Scheduler:CircuitBreaker:FailureThreshold"] = "2",
                ["Scheduler:CircuitBreaker:BreakDuration"] = "00:01:00",
            }),
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_time);
            },
            publisher);
        using var client = app.CreateOperatorClient();
        await _simulator.SetFaultAsync(new { mode = "error", status = 503 });

        for (var i = 0; i < 2; i++)
        {
            var failed = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, JobId));
            Assert.Equal(ErrorKinds.HttpStatus, failed.ErrorKind);
        }

        await _simulator.Control.DeleteAsync("/requests");
        // A slow API would now hold the run for its 5-minute timeout; the open circuit answers at once instead.
        await _simulator.SetFaultAsync(new { mode = "slow", delaySeconds = 600 });
        var runId = await app.RunAsync(client, JobId);
        var run = await SchedulerApp.WaitFinishedAsync(client, runId);
        Assert.Equal(ErrorKinds.ConnectionFailed, run.ErrorKind);
        Assert.Contains("circuit", run.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("is open", run.ErrorMessage, StringComparison.Ordinal);
        Assert.StartsWith("Provider payment report failed", run.ErrorMessage, StringComparison.Ordinal);
        var requests = await _simulator.Control.GetFromJsonAsync<JsonElement>("/requests");
        Assert.Equal(0, requests.GetArrayLength());
        var jobFailed = Assert.IsType<JobFailed>(Assert.Single(await publisher.WaitForRunAsync(runId)));
        Assert.Contains(FailureMessages.CheckApiRunning, jobFailed.Troubleshooting!);

        // After the break the probe goes through; the API is healthy again, so the circuit closes.
        await _simulator.ClearFaultAsync();
        _time.Advance(TimeSpan.FromMinutes(1));
        var recovered = await SchedulerApp.WaitFinishedAsync(client, await app.RunAsync(client, JobId));
        Assert.Equal(RunOutcomes.Succeeded, recovered.Outcome);
    }
}
