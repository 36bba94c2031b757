using Microsoft.Extensions.Logging;

namespace SurgiCase.Messaging.Outbox;

/// <summary>Log messages of the outbox. Event bodies are never logged.</summary>
internal static partial class OutboxLog
{
    [LoggerMessage(1, LogLevel.Information, "Published {MessageType} for job {JobId} run {RunId} (event {EventId}, message {MessageId})")]
    public static partial void Published(ILogger logger, string messageType, string jobId, string runId, string eventId, string messageId);

    [LoggerMessage(2, LogLevel.Warning, "Could not publish {MessageType} for job {JobId} run {RunId} (event {EventId}, attempt {Attempt}); kept in the outbox, next try in {Delay}")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId, int attempt, TimeSpan delay);

    [LoggerMessage(3, LogLevel.Error, "The outbox could not be read; retrying")]
    public static partial void PollFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "Published {MessageType} for job {JobId} run {RunId} directly (event {EventId}, message {MessageId}): it could not be stored in the outbox")]
    public static partial void PublishedDirectly(ILogger logger, string messageType, string jobId, string runId, string eventId, string messageId);

    [LoggerMessage(5, LogLevel.Critical, "Could not publish {MessageType} for job {JobId} run {RunId} (event {EventId}) directly either: the alert is lost")]
    public static partial void DirectPublishFailed(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId);

    [LoggerMessage(7, LogLevel.Critical, "Parked {MessageType} for job {JobId} run {RunId} (event {EventId}): {Reason}. It will not be published: tell the people it was meant for")]
    public static partial void Parked(ILogger logger, string messageType, string jobId, string runId, string eventId, string reason);

    [LoggerMessage(8, LogLevel.Error, "Could not publish {MessageType} for job {JobId} run {RunId} (event {EventId}) on its last attempt ({Attempt})")]
    public static partial void PublishFailedFinally(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId, int attempt);

    [LoggerMessage(6, LogLevel.Error, "Could not store {MessageType} for job {JobId} run {RunId} (event {EventId}) in the outbox; publishing it directly")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string messageType, string jobId, string runId, string eventId);
}
