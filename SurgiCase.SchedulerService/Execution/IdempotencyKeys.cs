using System.Globalization;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// The <c>Idempotency-Key</c> every report request of a run carries, so the API can drop a repeat of work it already did.
/// It names the operation, not the attempt: every attempt of a run sends the same key, and a run for a fire time (the
/// scheduled one, or the catch-up after a restart that interrupted it) sends the key of that fire time. A run someone
/// asked for (manual) is a new operation and has its own key.
/// <para>
/// An automatic recovery run re-does the failed run's operation, so it sends the failed run's key again. The API replays
/// only a request that succeeded: when the failed run produced nothing (the usual case: refused, 5xx) the recovery run
/// produces the report; when it did produce it and only the answer was lost (a timeout, a reset after the work was done)
/// the API answers with that report instead of producing it a second time.
/// </para>
/// </summary>
internal static class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";

    public static string For(JobDefinition job, RunRequest request)
    {
        if (request.Recovery is { } recovery)
        {
            return recovery.IdempotencyKey;
        }

        if (request.FireTime is not { } fireTime)
        {
            return $"{job.Id}/run/{request.RunId}";
        }

        var fire = fireTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        // An instance job runs on every replica by design: each replica's run is its own operation.
        return job.Scope == JobScopes.Instance ? $"{job.Id}/fire/{fire}/{Environment.MachineName}" : $"{job.Id}/fire/{fire}";
    }
}
