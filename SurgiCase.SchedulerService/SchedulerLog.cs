namespace SurgiCase.SchedulerService;

internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Job {JobId} run {RunId} started ({Trigger})")]
    public static partial void RunStarted(ILogger logger, string jobId, string runId, string trigger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Job {JobId} run {RunId} succeeded after {Attempts} attempt(s)")]
    public static partial void RunSucceeded(ILogger logger, string jobId, string runId, int attempts);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Job {JobId} run {RunId} failed ({ErrorKind}) after {Attempts} attempt(s): {ErrorMessage}")]
    public static partial void RunFailed(ILogger logger, string jobId, string runId, string errorKind, string errorMessage, int attempts);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} partially failed: {Failed} of {Total} items")]
    public static partial void RunPartiallyFailed(ILogger logger, string jobId, string runId, int failed, int total);

    // The seed's runbook lines, word for word: operators search the logs for them ("✅ … generated successfully", "❌ …").
    [LoggerMessage(EventId = 25, Level = LogLevel.Information, Message = "✅ {JobTitle} generated successfully")]
    public static partial void SeedGenerated(ILogger logger, string jobTitle);

    [LoggerMessage(EventId = 26, Level = LogLevel.Error, Message = "❌ {ErrorMessage}")]
    public static partial void SeedFailed(ILogger logger, string errorMessage);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Job {JobId} run {RunId}: {FailedPercent:0.#} % of items failed, not above the {ThresholdPercent} % threshold; recorded without an alert")]
    public static partial void PartialNotAlerted(ILogger logger, string jobId, string runId, double failedPercent, double thresholdPercent);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} attempt {Attempt} failed ({ErrorKind}); retrying in {Delay}")]
    public static partial void AttemptFailedRetrying(ILogger logger, string jobId, string runId, int attempt, string errorKind, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Job {JobId} run {RunId} crashed the runner")]
    public static partial void RunCrashed(ILogger logger, Exception exception, string jobId, string runId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Scheduled job {JobId} ({Cron}, {TimeZone}, {Scope})")]
    public static partial void JobScheduled(ILogger logger, string jobId, string cron, string timeZone, string scope);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Job {JobId} {Action} by {Actor}")]
    public static partial void JobPauseChanged(ILogger logger, string jobId, string action, string actor);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Job {JobId} skipped its fire time {FireTime}: paused")]
    public static partial void SkippedPaused(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Job {JobId} missed its fire time {FireTime} while the scheduler was down; catching up once")]
    public static partial void CatchingUp(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "Job {JobId} had no successful run for its fire time {FireTime} within {Grace}: missed run")]
    public static partial void MissedRun(ILogger logger, string jobId, DateTimeOffset fireTime, TimeSpan grace);

    [LoggerMessage(EventId = 15, Level = LogLevel.Error, Message = "The missed-run watchdog failed; it tries again on its next tick")]
    public static partial void WatchdogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 16, Level = LogLevel.Warning, Message = "Job {JobId}'s stored schedule ({StoredCron}, {StoredTimeZone}) differs from the configuration; rescheduled to {Cron}, {TimeZone}")]
    public static partial void JobRescheduled(ILogger logger, string jobId, string storedCron, string storedTimeZone, string cron, string timeZone);

    [LoggerMessage(EventId = 17, Level = LogLevel.Warning, Message = "Job {JobId} is disabled or no longer configured as a cluster job; removed from the cluster's schedule")]
    public static partial void JobUnscheduled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Job {JobId} skipped its fire time {FireTime}: disabled")]
    public static partial void SkippedDisabled(ILogger logger, string jobId, DateTimeOffset fireTime);

    [LoggerMessage(EventId = 19, Level = LogLevel.Warning, Message = "Writing run {RunId} of job {JobId} to the history failed (attempt {Attempt}); retrying in {Delay}")]
    public static partial void RunWriteRetrying(ILogger logger, Exception exception, string jobId, string runId, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 20, Level = LogLevel.Critical, Message = "Could not record the {Step} of job {JobId} run {RunId} in the history; its events are published directly")]
    public static partial void RunWriteFailed(ILogger logger, Exception exception, string step, string jobId, string runId);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId}: the history could not be read or updated ({Step}); carrying on")]
    public static partial void RunHistoryStepFailed(ILogger logger, Exception exception, string jobId, string runId, string step);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} failed because of {Dependency} ({ErrorKind}); probing it every {Interval} to re-run the job once it answers again")]
    public static partial void RecoveryProbeStarted(ILogger logger, string jobId, string runId, string dependency, string errorKind, TimeSpan interval);

    [LoggerMessage(EventId = 31, Level = LogLevel.Debug, Message = "Job {JobId}: {Dependency} does not answer yet ({Detail})")]
    public static partial void RecoveryProbeFailed(ILogger logger, string jobId, string dependency, string detail);

    [LoggerMessage(EventId = 32, Level = LogLevel.Information, Message = "Job {JobId}: {Dependency} answers again after {Downtime}; re-running the job once as run {RecoveryRunId} (trigger recovery) for failed run {FailedRunId}")]
    public static partial void RecoveryProbeSucceeded(ILogger logger, string jobId, string dependency, TimeSpan downtime, string recoveryRunId, string failedRunId);

    [LoggerMessage(EventId = 33, Level = LogLevel.Warning, Message = "Job {JobId} run {FailedRunId}: automatic recovery ended without a re-run ({Status}): {Reason}")]
    public static partial void RecoveryEnded(ILogger logger, string jobId, string failedRunId, string status, string reason);

    [LoggerMessage(EventId = 34, Level = LogLevel.Error, Message = "Checking the automatic recovery of job {JobId} failed; it is tried again on the next pass")]
    public static partial void RecoveryCheckFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} attempt {Attempt}: the SurgiCase API answered 409, still working on the timed-out request with the same Idempotency-Key; counted as a timeout")]
    public static partial void StillRunningAfterTimeout(ILogger logger, string jobId, string runId, int attempt);

    [LoggerMessage(EventId = 42, Level = LogLevel.Error, Message = "Job {JobId} run {RunId}: the early warning of timed-out attempt {Attempt} could not be sent; the run goes on and its outcome is alerted as usual")]
    public static partial void AttemptTimeoutWarningFailed(ILogger logger, Exception exception, string jobId, string runId, int attempt);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId}: attempt {Attempt} of {MaxAttempts} timed out; early warning {EventId} sent, retrying at {RetryAt}")]
    public static partial void AttemptTimeoutWarned(ILogger logger, string jobId, string runId, int attempt, int maxAttempts, string eventId, DateTimeOffset retryAt);
}
