using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// What one run knows about its timed-out attempts. A timed-out request may still be running at the API: a real
/// idempotent API answers the retry (same <c>Idempotency-Key</c>) with 409 until it is done. That 409 is not a new
/// failure of its own but the same timeout, so it is classified as one: the run ends with the seed's timeout message and
/// hint, is retried as a timeout (a later attempt gets the stored result once the API is done) and is recovered
/// automatically as a timeout. A recovery run of a timed-out run sends that run's key, so a 409 there means the same.
/// Also decides the early warning: once per run, for a critical job's first attempt that really timed out.
/// </summary>
internal sealed class RunTimeouts(JobDefinition job, RunRequest request)
{
    public const int StillRunningStatus = 409;

    private bool _timedOut = request.Recovery?.ErrorKind == ErrorKinds.Timeout;
    private bool _warned;

    /// <summary>The attempt's result, with a 409 after a timeout turned into that timeout.</summary>
    public AttemptResult Classify(AttemptResult result)
    {
        if (_timedOut && result is { ErrorKind: ErrorKinds.HttpStatus, StatusCode: StillRunningStatus })
        {
            var reason = FailureMessages.StillRunning(job);
            result = result with
            {
                ErrorKind = ErrorKinds.Timeout,
                ErrorMessage = FailureMessages.Timeout(job),
                Exception = new TimeoutException(reason),
            };
        }

        _timedOut |= result.ErrorKind == ErrorKinds.Timeout;
        return result;
    }

    /// <summary>Whether the attempt that just failed (and will be retried) gets the early warning.</summary>
    public bool ShouldWarn(AttemptResult failed)
    {
        // A 409 turned into a timeout is the same hanging request, not a new one: it never warns.
        if (_warned || !job.Critical || failed.ErrorKind != ErrorKinds.Timeout || failed.StatusCode is not null)
        {
            return false;
        }

        _warned = true;
        return true;
    }

    public static bool IsStillRunning(AttemptResult result) =>
        result is { ErrorKind: ErrorKinds.Timeout, StatusCode: StillRunningStatus };
}
