namespace SurgiCase.Messaging;

/// <summary>
/// A message that can never be handled, however often it is retried: it goes to the DLQ at once.
/// <see cref="Reason"/> is short and never contains the body.
/// </summary>
public sealed class PoisonMessageException : Exception
{
    public PoisonMessageException(string reason, Exception? innerException = null)
        : base($"Poison message: {reason}", innerException)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
