using Microsoft.Extensions.Logging;

namespace SurgiCase.Messaging.Sqs;

/// <summary>Log messages of the SQS publisher and consumer. Message bodies are never logged.</summary>
internal static partial class MessagingLog
{
    [LoggerMessage(1, LogLevel.Debug, "Published {MessageType} event {EventId} to {QueueName} as message {MessageId}")]
    public static partial void Published(ILogger logger, string messageType, string eventId, string queueName, string messageId);

    [LoggerMessage(2, LogLevel.Error, "Publishing {MessageType} event {EventId} to {QueueName} failed")]
    public static partial void PublishFailed(ILogger logger, Exception exception, string messageType, string eventId, string queueName);

    [LoggerMessage(10, LogLevel.Information, "Consuming job events from {QueueName} (batch {BatchSize}, concurrency {MaxConcurrency})")]
    public static partial void ConsumerStarted(ILogger logger, string queueName, int batchSize, int maxConcurrency);

    [LoggerMessage(11, LogLevel.Warning, "Receiving from {QueueName} failed; next try in {Delay}")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, string queueName, TimeSpan delay);

    [LoggerMessage(12, LogLevel.Debug, "Handled {MessageType} event {EventId} (message {MessageId}, receive {ReceiveCount})")]
    public static partial void Handled(ILogger logger, string messageType, string eventId, string messageId, int receiveCount);

    [LoggerMessage(13, LogLevel.Warning, "Handling {MessageType} event {EventId} failed (message {MessageId}, receive {ReceiveCount} of {MaxReceiveCount}); retry in {RetryDelay}")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string messageType, string eventId, string messageId, int receiveCount, int maxReceiveCount, TimeSpan retryDelay);

    [LoggerMessage(14, LogLevel.Error, "Poison message {MessageId} (message-type {MessageType}) moved to {DeadLetterQueueName}: {Reason}")]
    public static partial void PoisonMoved(ILogger logger, string messageId, string? messageType, string deadLetterQueueName, string reason);

    [LoggerMessage(15, LogLevel.Error, "Message {MessageId} could not be moved to {DeadLetterQueueName}; it stays in the queue ({Reason})")]
    public static partial void PoisonMoveFailed(ILogger logger, Exception exception, string messageId, string deadLetterQueueName, string reason);

    [LoggerMessage(16, LogLevel.Warning, "Deleting handled message {MessageId} failed; it will be delivered again")]
    public static partial void DeleteFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(17, LogLevel.Warning, "Changing the visibility of message {MessageId} failed")]
    public static partial void VisibilityChangeFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(18, LogLevel.Debug, "Extended the visibility of message {MessageId} by {VisibilityTimeoutSeconds} s")]
    public static partial void VisibilityExtended(ILogger logger, string messageId, int visibilityTimeoutSeconds);

    [LoggerMessage(19, LogLevel.Error, "Unexpected error while processing message {MessageId}")]
    public static partial void ProcessingCrashed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(20, LogLevel.Information, "Stopped consuming from {QueueName}")]
    public static partial void ConsumerStopped(ILogger logger, string queueName);

    [LoggerMessage(21, LogLevel.Warning, "Message {MessageId} (message-type {MessageType}) moved to {DeadLetterQueueName} at the handler's request: {Reason}")]
    public static partial void DeadLettered(ILogger logger, string messageId, string? messageType, string deadLetterQueueName, string reason);

    [LoggerMessage(22, LogLevel.Warning, "Reading the size of dead-letter queue {DeadLetterQueueName} for the health check failed")]
    public static partial void DeadLetterCheckFailed(ILogger logger, Exception exception, string deadLetterQueueName);

    [LoggerMessage(23, LogLevel.Warning, "Not receiving from {Queue}: {Reason}")]
    public static partial void NotReceiving(ILogger logger, string queue, string reason);

    [LoggerMessage(24, LogLevel.Information, "Receiving from {Queue} again after {ClosedFor}")]
    public static partial void ReceivingAgain(ILogger logger, string queue, TimeSpan closedFor);
}
