namespace SurgiCase.NotificationService.DeadLetters;

internal static partial class DeadLetterLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Information,
        Message = "Dead letter {MessageId} (event {EventId}, {MessageType}) replayed to the job-events queue by {ReplayedBy}; re-opened for email: {Reopened}")]
    public static partial void Replayed(ILogger logger, string messageId, string? eventId, string? messageType, string replayedBy, bool reopened);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "Dead-letter queue call failed: {ErrorType}")]
    public static partial void SqsFailed(ILogger logger, string errorType);
}
