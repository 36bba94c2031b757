using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging;

/// <summary>Facts about the transport's delivery of one event (its message id, how often it came), for logging and retry decisions.</summary>
public sealed record DeliveryContext(string MessageId, int ReceiveCount, DateTimeOffset? SentAt);

/// <summary>
/// Handles one job event taken from the queue. Returning normally deletes the message; throwing
/// leaves it in the queue to be retried and, after the configured receives, moved to the DLQ.
/// Throwing <see cref="DeadLetterException"/> moves it to the DLQ at once, with the reason; throwing
/// <see cref="PoisonMessageException"/> does the same and marks it poison (never handleable).
/// </summary>
public interface IJobEventHandler
{
    Task HandleAsync(IJobEvent jobEvent, DeliveryContext delivery, CancellationToken cancellationToken);
}
