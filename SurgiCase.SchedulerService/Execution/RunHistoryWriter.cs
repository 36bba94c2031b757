using Polly;
using Polly.Retry;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// The runner's writes to the run history, made to survive a database hiccup: each is retried briefly on the injected
/// clock. A run's events normally reach SQS through the outbox, committed with its result; when that commit keeps
/// failing the events would be lost with it, so they are published directly instead (same event ids, so a later
/// outbox copy is recognisable as a duplicate).
/// </summary>
internal sealed class RunHistoryWriter(IRunStore store, OutboxDispatcher outbox, TimeProvider timeProvider, ILogger<RunHistoryWriter> logger)
{
    // Short on purpose: a run's end should not wait long on a database that is down, and the direct publish follows.
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)];
    private static readonly ResiliencePropertyKey<(string JobId, string RunId)> Run = new("surgicase.run");

    // Any exception: the store's own (SQLite, PostgreSQL) are not worth telling apart for two short retries.
    private readonly ResiliencePipeline _writeRetry = new ResiliencePipelineBuilder { TimeProvider = timeProvider }
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = Backoff.Length,
            ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is not null),
            DelayGenerator = static args => ValueTask.FromResult<TimeSpan?>(Backoff[args.AttemptNumber]),
            OnRetry = args =>
            {
                var (jobId, runId) = args.Context.Properties.GetValue(Run, default);
                SchedulerLog.RunWriteRetrying(logger, args.Outcome.Exception!, jobId, runId, args.AttemptNumber + 1, args.RetryDelay);
                return default;
            },
        })
        .Build();

    /// <summary>Marks the run started; a failure is logged and the run goes ahead (its completion write tries again).</summary>
    public async Task MarkStartedAsync(string jobId, string runId, DateTimeOffset startedAt, string? traceId)
    {
        try
        {
            await WithRetryAsync(jobId, runId, () => store.MarkStartedAsync(runId, startedAt, traceId, CancellationToken.None));
        }
        catch (Exception e)
        {
            SchedulerLog.RunHistoryStepFailed(logger, e, jobId, runId, "start");
        }
    }

    /// <summary>Best effort: the history shows the attempt while the run waits to retry.</summary>
    public async Task RecordRetryAsync(string jobId, string runId, int attempts, string errorKind, string errorMessage)
    {
        try
        {
            await store.RecordRetryAsync(runId, attempts, errorKind, errorMessage, CancellationToken.None);
        }
        catch (Exception e)
        {
            SchedulerLog.RunHistoryStepFailed(logger, e, jobId, runId, "retry");
        }
    }

    /// <summary>
    /// Stores the result with its events (the outbox). True when stored; false when every attempt failed and the
    /// events were published directly instead.
    /// </summary>
    public async Task<bool> CompleteAsync(string jobId, string runId, RunCompletion completion, IReadOnlyList<IJobEvent> events)
    {
        try
        {
            var messages = events.Select(outbox.ToMessage).ToList();
            await WithRetryAsync(jobId, runId, () => store.CompleteAsync(runId, completion, messages, CancellationToken.None));
            return true;
        }
        catch (Exception e)
        {
            SchedulerLog.RunWriteFailed(logger, e, "completion", jobId, runId);
        }

        await outbox.PublishDirectlyAsync(events);
        return false;
    }

    private async Task WithRetryAsync(string jobId, string runId, Func<Task> write)
    {
        var context = ResilienceContextPool.Shared.Get(CancellationToken.None);
        try
        {
            context.Properties.Set(Run, (jobId, runId));
            await _writeRetry.ExecuteAsync(static async (_, write) => await write(), context, write);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
