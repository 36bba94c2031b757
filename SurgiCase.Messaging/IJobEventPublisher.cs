using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging;

/// <summary>
/// Sends a job event to the job-events queue with the current trace context. Throws when the transport does not
/// accept it, so a caller with an outbox can keep the event and try again.
/// </summary>
public interface IJobEventPublisher
{
    /// <returns>The id the transport gave the message.</returns>
    Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default);
}
