namespace SurgiCase.SchedulerService.Storage;

/// <summary>One run of a job as kept in the history and returned by <c>GET /runs/{runId}</c>.</summary>
/// <param name="FailedItemCount">How many failed items a partial run reported; all of them are at <c>GET /runs/{runId}/failed-items</c>.</param>
public sealed record RunRecord(
    string RunId,
    string JobId,
    string Trigger,
    string? RequestedBy,
    DateTimeOffset QueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string Outcome,
    int Attempts,
    string? ErrorKind,
    string? ErrorMessage,
    string? TraceId,
    string? Severity = null,
    int FailedItemCount = 0)
{
    /// <summary>A new run with a fresh id, waiting to be executed (it is stored before anything runs).</summary>
    public static RunRecord NewQueued(string jobId, string trigger, string? requestedBy, DateTimeOffset queuedAt) => new(
        RunId: Guid.NewGuid().ToString("N"),
        JobId: jobId,
        Trigger: trigger,
        RequestedBy: requestedBy,
        QueuedAt: queuedAt,
        StartedAt: null,
        FinishedAt: null,
        Outcome: RunOutcomes.Queued,
        Attempts: 0,
        ErrorKind: null,
        ErrorMessage: null,
        TraceId: null);
}

public static class RunOutcomes
{
    /// <summary>Accepted, waiting for a free worker.</summary>
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Partial = "partial";

    public static bool IsFinished(string outcome) => outcome is Succeeded or Failed or Partial;
}

/// <summary>The result a run ends with.</summary>
/// <param name="Severity">How loud its alert was (<c>critical</c>, <c>warning</c>); null when it raised none.</param>
/// <param name="FailedItems">Every failed item a partial run reported (its event carries only the first few).</param>
/// <param name="Recovery">A failure's automatic recovery, stored with the result (<see cref="IRecoveryStore"/>); null when it has none.</param>
public sealed record RunCompletion(
    DateTimeOffset FinishedAt,
    string Outcome,
    int Attempts,
    string? ErrorKind,
    string? ErrorMessage,
    string? Severity = null,
    IReadOnlyList<string>? FailedItems = null,
    PendingRecovery? Recovery = null);
