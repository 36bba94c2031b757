namespace SurgiCase.SchedulerService;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Job {JobId} run {RunId} started ({Trigger})")]
    public static partial void RunStarted(ILogger logger, string jobId, string runId, string trigger);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Job {JobId} run {RunId} succeeded after {Attempts} attempt(s)")]
    public static partial void RunSucceeded(ILogger logger, string jobId, string runId, int attempts);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Job {JobId} run {RunId} failed ({ErrorKind}) after {Attempts} attempt(s): {ErrorMessage}")]
    public static partial void RunFailed(ILogger logger, string jobId, string runId, string errorKind, string errorMessage, int attempts);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} partially failed: {Failed} of {Total} items")]
    public static partial void RunPartiallyFailed(ILogger logger, string jobId, string runId, int failed, int total);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "Job {JobId} run {RunId} attempt {Attempt} failed ({ErrorKind}); retrying in {Delay}")]
    public static partial void AttemptFailedRetrying(ILogger logger, string jobId, string runId, int attempt, string errorKind, TimeSpan delay);

    [LoggerMessage(EventId = 6, Level = LogLevel.Error, Message = "Job {JobId} run {RunId} crashed the runner")]
    public static partial void RunCrashed(ILogger logger, Exception exception, string jobId, string runId);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Published {MessageType} for job {JobId} run {RunId} (event {EventId}, message {MessageId})")]
    public static partial void EventPublished(ILogger logger, string messageType, string jobId, string runId, string eventId, string messageId);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "Could not publish {MessageType} for job {JobId} run {RunId} (event {EventId}, attempt {Attempt}); kept in the outbox, next try in {Delay}")]
    public static partial void EventPublishFailed(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Scheduled job {JobId} ({Cron}, {TimeZone}, {Scope})")]
    public static partial void JobScheduled(ILogger logger, string jobId, string cron, string timeZone, string scope);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "The outbox could not be read; retrying")]
    public static partial void OutboxPollFailed(ILogger logger, Exception exception);

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
}
