using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>
/// What the scheduler keeps per job beyond its runs: pause (with its audit trail), the last scheduled fire time
/// (for catch-up) and the last fire time alerted as missed (so the watchdog alerts once per fire time).
/// Updates that several replicas may race for are compare-and-set.
/// </summary>
public interface IJobStateStore
{
    /// <summary>Creates the job's row on first sight: watched from <paramref name="now"/>, fires accounted up to it.</summary>
    Task<JobState> EnsureTrackedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken);

    Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, JobState>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Pauses or resumes and records who did it in <c>job_actions</c>, in one transaction.</summary>
    /// <returns>False when the job already was in that state (nothing recorded).</returns>
    Task<bool> SetPausedAsync(string jobId, bool paused, string actor, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<JobAction>> ListActionsAsync(string jobId, int limit, CancellationToken cancellationToken);

    /// <summary>Moves the last scheduled fire forward (never back).</summary>
    Task RecordScheduledFireAsync(string jobId, DateTimeOffset fireTime, CancellationToken cancellationToken);

    /// <summary>Claims a missed fire time for catch-up; only one caller (replica) wins.</summary>
    Task<bool> TryClaimCatchUpAsync(string jobId, DateTimeOffset? expectedLastFire, DateTimeOffset missedFire, CancellationToken cancellationToken);

    /// <summary>
    /// Claims <paramref name="fireTime"/> as alerted and stores the missed run with its event, in one transaction;
    /// false when another replica (or an earlier tick) already did.
    /// </summary>
    Task<bool> TryRecordMissedRunAsync(
        string jobId, DateTimeOffset? expectedAlerted, DateTimeOffset fireTime, RunRecord run, OutboxMessage jobFailed,
        CancellationToken cancellationToken);
}

public sealed record JobState(
    string JobId,
    bool Paused,
    string? PausedBy,
    DateTimeOffset? PausedAt,
    DateTimeOffset WatchSince,
    DateTimeOffset? LastScheduledFire,
    DateTimeOffset? MissedAlertedFire);

/// <summary>An operator's action on a job, e.g. pause by <c>operator</c>.</summary>
public sealed record JobAction(string ActionId, string JobId, string Action, string Actor, DateTimeOffset At);

public static class JobActions
{
    public const string Pause = "pause";
    public const string Resume = "resume";
}
