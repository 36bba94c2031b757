namespace SurgiCase.Messaging;

/// <summary>
/// Thrown by an <see cref="IJobEventHandler"/> for a message that must not be retried but must not be
/// forgotten either: the consumer copies it to the DLQ at once with <see cref="Reason"/> in the
/// <c>dead-letter-reason</c> attribute, then deletes it from the queue. Example: the alert reached the
/// fallback channel but not email, so the message is parked where an operator can replay it.
/// <see cref="Reason"/> is short and must never contain the body or a secret.
/// </summary>
public sealed class DeadLetterException : Exception
{
    public DeadLetterException(string reason, Exception? innerException = null)
        : base($"Dead-letter requested: {reason}", innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Reason = reason;
    }

    public string Reason { get; }
}
