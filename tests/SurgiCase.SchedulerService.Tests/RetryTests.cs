using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Retries on the injected clock: the test advances time instead of waiting for the backoff.</summary>
public sealed class RetryTests : IAsyncLifetime
{
    private const string JobId = "retry-probe";
    private readonly SimulatorHost _simulator = new();
    private readonly RecordingPublisher _publisher = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private SchedulerApp _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        await _simulator.InitializeAsync();
        _app = new SchedulerApp(
            _simulator.BaseAddress,
            SchedulerApp.Job(7, JobId, "/api/reports/provider-payment", maxAttempts: 3),
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(_time);
            },
            _publisher);
        _client = _app.CreateOperatorClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task Transient_failures_are_retried_with_backoff_and_a_later_success_publishes_nothing()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 503, times = 2 });

        var runId = await _app.RunAsync(_client, JobId);
        var run = await SchedulerApp.WaitFinishedAsync(_client, runId, () => _time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Equal(3, run.Attempts);
        Assert.Empty(_publisher.ForRun(runId));
    }

    [Fact]
    public async Task Every_attempt_of_a_run_sends_the_same_key_and_the_next_run_another()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 503, times = 2 });

        var firstRun = await _app.RunAsync(_client, JobId);
        var first = await SchedulerApp.WaitFinishedAsync(_client, firstRun, () => _time.Advance(TimeSpan.FromSeconds(1)));
        var secondRun = await _app.RunAsync(_client, JobId);
        await SchedulerApp.WaitFinishedAsync(_client, secondRun, () => _time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal((RunOutcomes.Succeeded, 3), (first.Outcome, first.Attempts));
        var keys = await _simulator.IdempotencyKeysAsync();
        Assert.Equal([$"{JobId}/run/{firstRun}", $"{JobId}/run/{firstRun}", $"{JobId}/run/{firstRun}", $"{JobId}/run/{secondRun}"], keys);
    }

    [Fact]
    public async Task When_every_attempt_fails_one_JobFailed_carries_each_attempts_error_spaced_by_the_backoff()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 500 });

        var runId = await _app.RunAsync(_client, JobId);
        var run = await SchedulerApp.WaitFinishedAsync(_client, runId, () => _time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(RunOutcomes.Failed, run.Outcome);
        Assert.Equal(3, run.Attempts);
        var failed = Assert.IsType<JobFailed>(Assert.Single(await _publisher.WaitForRunAsync(runId)));
        Assert.Equal(3, failed.Attempt);
        Assert.Equal([1, 2, 3], failed.AttemptErrors!.Select(a => a.Attempt));
        Assert.All(failed.AttemptErrors!, a => Assert.Equal(ErrorKinds.HttpStatus, a.ErrorKind));

        // initial 10 s, ×2, ±20 % jitter: each retry waited at least its backoff's lower bound. Only lower bounds:
        // the test's clock moves 1 s per poll also while an attempt's HTTP call is under way, so on a loaded machine
        // the gaps grow by however many polls that call took. The exact delays are
        // Backoff_grows_exponentially_capped_with_jitter's to check.
        var first = failed.AttemptErrors![1].At - failed.AttemptErrors[0].At;
        var second = failed.AttemptErrors[2].At - failed.AttemptErrors[1].At;
        Assert.True(first.TotalSeconds >= 8, $"first retry after {first}");
        Assert.True(second.TotalSeconds >= 16, $"second retry after {second}");
    }

    [Fact]
    public async Task While_waiting_to_retry_the_run_shows_its_failed_attempt_and_error()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 503, times = 1 });

        var runId = await _app.RunAsync(_client, JobId);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        RunRecord? waiting;
        do
        {
            // The clock stands still, so the run stays in its backoff after the first attempt.
            waiting = await _client.GetFromJsonAsync<RunRecord>($"/runs/{runId}");
            Assert.True(DateTime.UtcNow < deadline, "The failed attempt was not recorded while the run waited.");
            await Task.Delay(20);
        }
        while (waiting!.Attempts == 0);

        Assert.Equal(RunOutcomes.Running, waiting.Outcome);
        Assert.Equal(1, waiting.Attempts);
        Assert.Equal(ErrorKinds.HttpStatus, waiting.ErrorKind);
        Assert.Contains("503", waiting.ErrorMessage, StringComparison.Ordinal);

        var run = await SchedulerApp.WaitFinishedAsync(_client, runId, () => _time.Advance(TimeSpan.FromSeconds(1)));
        Assert.Equal(RunOutcomes.Succeeded, run.Outcome);
        Assert.Equal(2, run.Attempts);
        Assert.Null(run.ErrorMessage);
    }

    [Fact]
    public async Task A_client_error_is_not_retried()
    {
        await _simulator.SetFaultAsync(new { mode = "error", status = 400 });

        var runId = await _app.RunAsync(_client, JobId);
        var run = await SchedulerApp.WaitFinishedAsync(_client, runId, () => _time.Advance(TimeSpan.FromSeconds(1)));

        Assert.Equal(1, run.Attempts);
        Assert.Equal("Provider payment report failed with HTTP status 400", run.ErrorMessage);
    }

    [Theory]
    [InlineData(1, 0.5, 10)]
    [InlineData(2, 0.5, 20)]
    [InlineData(3, 0.5, 40)]
    [InlineData(5, 0.5, 60)]
    [InlineData(1, 0.0, 8)]
    [InlineData(1, 0.999999, 12)]
    public void Backoff_grows_exponentially_capped_with_jitter(int attempt, double random, double expectedSeconds)
    {
        var policy = new RetryPolicyOptions { InitialDelaySeconds = 10, MaxDelaySeconds = 60, Multiplier = 2, JitterRatio = 0.2 };
        Assert.Equal(expectedSeconds, RetryBackoff.DelayAfter(policy, attempt, random).TotalSeconds, precision: 3);
    }
}
