namespace SurgiCase.SchedulerService.Storage;

/// <summary>
/// Automatic recoveries: one row per failed run whose dependency is being probed. A row is written with the failed run's
/// result (same transaction, <see cref="IRunStore.CompleteAsync(string, RunCompletion, IReadOnlyList{SurgiCase.Messaging.Outbox.OutboxMessage}, CancellationToken)"/>),
/// so a pending recovery survives a restart; it is claimed compare-and-set, so of several replicas exactly one re-runs the job.
/// </summary>
public interface IRecoveryStore
{
    /// <summary>Every pending recovery, oldest failure first.</summary>
    Task<IReadOnlyList<PendingRecovery>> ListPendingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims the recovery and stores its (queued) recovery run, in one transaction; false when another replica (or an
    /// earlier tick) claimed or resolved it first.
    /// </summary>
    Task<bool> TryClaimAsync(string failedRunId, RunRecord recoveryRun, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Ends a pending recovery without a run (<see cref="RecoveryStatuses"/>); false when it was no longer pending.</summary>
    Task<bool> TryResolveAsync(string failedRunId, string status, string note, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>A failed run waiting for its dependency to answer again.</summary>
/// <param name="Dependency">What is probed, in words for the page and the email: "the SurgiCase API (api.example:443)".</param>
/// <param name="IdempotencyKey">The failed run's key, which the recovery run sends again (<see cref="Execution.IdempotencyKeys"/>).</param>
public sealed record PendingRecovery(
    string FailedRunId, string JobId, string ErrorKind, string Dependency, string IdempotencyKey, DateTimeOffset FailedAt);

public static class RecoveryStatuses
{
    /// <summary>Probing; not yet re-run.</summary>
    public const string Pending = "pending";

    /// <summary>The dependency answered; the recovery run was queued (its outcome is the run's).</summary>
    public const string Claimed = "claimed";

    /// <summary>A later failure of the job replaced it (that failure has its own row if it qualifies).</summary>
    public const string Superseded = "superseded";

    /// <summary>The job succeeded meanwhile (a scheduled or manual run).</summary>
    public const string NotNeeded = "not-needed";

    /// <summary>Probing stopped: too long, or the next scheduled fire time came.</summary>
    public const string GaveUp = "gave-up";

    /// <summary>Not re-run: the next scheduled fire is within the margin, or the job no longer allows it.</summary>
    public const string Skipped = "skipped";
}
