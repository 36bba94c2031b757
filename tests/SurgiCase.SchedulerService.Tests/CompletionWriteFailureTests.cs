using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// When the run's result cannot be written (the database is down as the run ends), the events that would have gone
/// to the outbox with it are published directly: the alert is not lost with the history row.
/// </summary>
public sealed class CompletionWriteFailureTests : IAsyncLifetime
{
    private const string JobId = "completion-probe";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task A_failed_run_whose_completion_cannot_be_stored_still_publishes_its_JobFailed()
    {
        var closedPort = Testing.MotoServer.FreeTcpPort();
        var publisher = new RecordingPublisher();
        FailingCompletionStore? store = null;
        using var app = new SchedulerApp(
            _simulator.BaseAddress,
            SchedulerApp.Job(7, JobId, $"http://127.0.0.1:{closedPort}/api/reports/provider-payment"),
            services =>
            {
                var real = services.Single(d => d.ServiceType == typeof(IRunStore));
                services.RemoveAll<IRunStore>();
                services.AddSingleton<IRunStore>(sp => store = new FailingCompletionStore(
                    (IRunStore)ActivatorUtilities.CreateInstance(sp, real.ImplementationType!)));
            },
            publisher);
        using var client = app.CreateOperatorClient();

        var runId = await app.RunAsync(client, JobId);

        var published = Assert.Single(await publisher.WaitForRunAsync(runId));
        var failed = Assert.IsType<JobFailed>(published);
        Assert.Equal(ErrorKinds.ConnectionFailed, failed.ErrorKind);
        // Retried before giving up, and nothing reached the outbox (the same transaction failed).
        Assert.True(store!.CompleteAttempts >= 2, $"{store.CompleteAttempts} completion attempts");
        Assert.Empty(await app.Services.GetRequiredService<IOutboxStore>().ListForRunAsync(runId, default));
        var run = await client.GetFromJsonAsync<RunRecord>($"/runs/{runId}");
        Assert.Equal(RunOutcomes.Running, run!.Outcome);
    }

    /// <summary>The real store, except that storing a result always fails, as with the database gone.</summary>
    private sealed class FailingCompletionStore(IRunStore inner) : IRunStore
    {
        private int _completeAttempts;

        public int CompleteAttempts => Volatile.Read(ref _completeAttempts);

        public Task CompleteAsync(string runId, RunCompletion completion, IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _completeAttempts);
            throw new InvalidOperationException("the database is gone");
        }

        public Task CreateAsync(RunRecord run, CancellationToken cancellationToken) => inner.CreateAsync(run, cancellationToken);

        public Task MarkStartedAsync(string runId, DateTimeOffset startedAt, string? traceId, CancellationToken cancellationToken) =>
            inner.MarkStartedAsync(runId, startedAt, traceId, cancellationToken);

        public Task RecordRetryAsync(string runId, int attempts, string errorKind, string errorMessage, CancellationToken cancellationToken) =>
            inner.RecordRetryAsync(runId, attempts, errorKind, errorMessage, cancellationToken);

        public Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken) => inner.GetAsync(runId, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> ListForJobAsync(string jobId, int limit, CancellationToken cancellationToken) =>
            inner.ListForJobAsync(jobId, limit, cancellationToken);

        public Task<IReadOnlyDictionary<string, RunRecord>> LatestPerJobAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken) =>
            inner.LatestPerJobAsync(jobIds, cancellationToken);

        public Task<IReadOnlyList<RunRecord>> FailuresSinceLastSuccessAsync(string jobId, string excludingRunId, CancellationToken cancellationToken) =>
            inner.FailuresSinceLastSuccessAsync(jobId, excludingRunId, cancellationToken);

        public Task<bool> SucceededSinceAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken) =>
            inner.SucceededSinceAsync(jobId, since, cancellationToken);

        public Task<bool> HasUnfinishedRunSinceAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken) =>
            inner.HasUnfinishedRunSinceAsync(jobId, since, cancellationToken);

        public Task<int> CountForJobAsync(string jobId, CancellationToken cancellationToken) => inner.CountForJobAsync(jobId, cancellationToken);

        public Task<IReadOnlyList<string>> FailedItemsAsync(string runId, int offset, int limit, CancellationToken cancellationToken) =>
            inner.FailedItemsAsync(runId, offset, limit, cancellationToken);
    }
}
