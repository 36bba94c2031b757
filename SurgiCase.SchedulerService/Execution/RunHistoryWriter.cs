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
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await write();
                return;
            }
            catch (Exception e) when (attempt <= Backoff.Length)
            {
                var delay = Backoff[attempt - 1];
                SchedulerLog.RunWriteRetrying(logger, e, jobId, runId, attempt, delay);
                await Task.Delay(delay, timeProvider, CancellationToken.None);
            }
        }
    }
}
