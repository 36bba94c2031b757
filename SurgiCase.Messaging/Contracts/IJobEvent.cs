namespace SurgiCase.Messaging.Contracts;

/// <summary>What every job event carries. <see cref="EventId"/> is the idempotency key.</summary>
public interface IJobEvent
{
    string EventId { get; }

    DateTimeOffset OccurredAt { get; }

    string JobId { get; }

    string JobName { get; }

    string RunId { get; }

    string Host { get; }
}
