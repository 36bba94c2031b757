namespace SurgiCase.SchedulerService.Runs;

/// <summary>Run history. SQLite by default; a PostgreSQL implementation slots in behind the same interface.</summary>
public interface IRunStore
{
    Task CreateAsync(RunRecord run, CancellationToken cancellationToken);

    Task MarkStartedAsync(string runId, DateTimeOffset startedAt, string? traceId, CancellationToken cancellationToken);

    Task CompleteAsync(string runId, RunCompletion completion, CancellationToken cancellationToken);

    Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListForJobAsync(string jobId, int limit, CancellationToken cancellationToken);

    /// <summary>The finished runs of a job since its last success (newest first), to detect a recovery.</summary>
    Task<IReadOnlyList<RunRecord>> FailuresSinceLastSuccessAsync(string jobId, string excludingRunId, CancellationToken cancellationToken);
}
