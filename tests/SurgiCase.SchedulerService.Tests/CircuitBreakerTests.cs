using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
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
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    private HostCircuitBreaker NewBreaker() => new(
        Options.Create(new SchedulerOptions { CircuitBreaker = new CircuitBreakerOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) } }),
        _time);

    [Fact]
    public void Opens_after_consecutive_failures_probes_once_when_half_open_and_closes_on_success()
    {
        var breaker = NewBreaker();
        for (var i = 0; i < 2; i++)
        {
            Assert.True(breaker.TryEnter(Host, out _));
            breaker.OnFailure(Host);
        }

        Assert.True(breaker.TryEnter(Host, out _));
        breaker.OnSuccess(Host);
        // A success resets the count: two more failures do not open it.
        for (var i = 0; i < 2; i++)
        {
            breaker.OnFailure(Host);
        }

        Assert.Equal(CircuitState.Closed, breaker.StateOf(Host));
        breaker.OnFailure(Host);
        Assert.False(breaker.TryEnter(Host, out var openUntil));
        Assert.Equal(_time.GetUtcNow().AddSeconds(30), openUntil);
        Assert.True(breaker.TryEnter("other-host:80", out _));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryEnter(Host, out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryEnter(Host, out _));   // the probe
        Assert.False(breaker.TryEnter(Host, out _));  // everyone else waits for it
        breaker.OnFailure(Host);
        Assert.Equal(CircuitState.Open, breaker.StateOf(Host));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(breaker.TryEnter(Host, out _));
        breaker.OnSuccess(Host);
        Assert.Equal(CircuitState.Closed, breaker.StateOf(Host));
        Assert.True(breaker.TryEnter(Host, out _));
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
