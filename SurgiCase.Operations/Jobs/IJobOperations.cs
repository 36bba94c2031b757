namespace SurgiCase.Operations.Jobs;

/// <summary>
/// The jobs the page shows and acts on. The hosting service implements it over its own stores, so this library
/// knows nothing of how jobs are scheduled, run or kept.
/// </summary>
public interface IJobOperations
{
    /// <summary>Every configured job with its last run, in configuration order.</summary>
    Task<IReadOnlyList<JobOverview>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One job with its newest <paramref name="runLimit"/> runs, or null when there is no such job.</summary>
    Task<JobHistory?> HistoryAsync(string jobId, int runLimit, CancellationToken cancellationToken);

    /// <summary>A page of a run's failed items, in the order the API reported them; empty for an unknown run.</summary>
    Task<IReadOnlyList<string>> FailedItemsAsync(string runId, int offset, int limit, CancellationToken cancellationToken);

    /// <summary>The job's name, or null when there is no such job.</summary>
    string? NameOf(string jobId);

    Task<JobCommandOutcome> RunNowAsync(string jobId, string actor, CancellationToken cancellationToken);

    Task<JobCommandOutcome> SetPausedAsync(string jobId, bool paused, string actor, CancellationToken cancellationToken);
}

public enum JobCommandOutcome
{
    Done,
    UnknownJob,

    /// <summary>Switched off in the configuration: running it by hand would bypass that decision.</summary>
    Disabled,

    /// <summary>Too many runs already waiting.</summary>
    QueueFull,
}
