using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>Run history. SQLite by default, PostgreSQL in cluster mode (<see cref="SurgiCase.Storage.SqlDatabase"/>).</summary>
public interface IRunStore
{
    Task CreateAsync(RunRecord run, CancellationToken cancellationToken);

    Task MarkStartedAsync(string runId, DateTimeOffset startedAt, string? traceId, CancellationToken cancellationToken);

    /// <summary>A running run's failed attempt that will be retried, so its history shows it while it waits.</summary>
    Task RecordRetryAsync(string runId, int attempts, string errorKind, string errorMessage, CancellationToken cancellationToken);

    Task CompleteAsync(string runId, RunCompletion completion, CancellationToken cancellationToken) =>
        CompleteAsync(runId, completion, [], cancellationToken);

    /// <summary>
    /// Stores the run's result and its events in one transaction (the outbox), then prunes the job's history
    /// to <c>Scheduler:RunRetention</c>: an event can never be lost between the result and the publish. A failure also
    /// supersedes the job's pending automatic recovery and stores its own (<see cref="RunCompletion.Recovery"/>).
    /// </summary>
    Task CompleteAsync(string runId, RunCompletion completion, IReadOnlyList<OutboxMessage> events, CancellationToken cancellationToken);

    Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListForJobAsync(string jobId, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Each given job's newest run (the first of <see cref="ListForJobAsync"/>), in one query: the job list reads this instead of
    /// one query per job. Jobs without runs are absent.
    /// </summary>
    Task<IReadOnlyDictionary<string, RunRecord>> LatestPerJobAsync(IReadOnlyCollection<string> jobIds, CancellationToken cancellationToken);

    /// <summary>The finished runs of a job since its last success (newest first), to detect a recovery.</summary>
    Task<IReadOnlyList<RunRecord>> FailuresSinceLastSuccessAsync(string jobId, string excludingRunId, CancellationToken cancellationToken);

    /// <summary>Whether the job had a successful (or partial) run finishing at or after <paramref name="since"/>.</summary>
    Task<bool> SucceededSinceAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Whether a run of the job queued in [<paramref name="since"/>, now] has not finished yet (queued or running).</summary>
    Task<bool> HasUnfinishedRunSinceAsync(string jobId, DateTimeOffset since, CancellationToken cancellationToken);

    Task<int> CountForJobAsync(string jobId, CancellationToken cancellationToken);

    /// <summary>A page of the run's failed items in the order the API reported them; empty for an unknown run.</summary>
    Task<IReadOnlyList<string>> FailedItemsAsync(string runId, int offset, int limit, CancellationToken cancellationToken);
}
