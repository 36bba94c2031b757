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

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Could not publish {MessageType} for job {JobId} run {RunId} (event {EventId})")]
    public static partial void EventPublishFailed(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "Scheduled job {JobId} ({Cron}, {TimeZone}, {Scope})")]
    public static partial void JobScheduled(ILogger logger, string jobId, string cron, string timeZone, string scope);
}
