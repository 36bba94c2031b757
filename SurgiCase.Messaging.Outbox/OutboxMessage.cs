namespace SurgiCase.Messaging.Outbox;

/// <summary>An event waiting in the outbox, already in its wire form.</summary>
public sealed record OutboxMessage(
    string EventId,
    string RunId,
    string JobId,
    string MessageType,
    string Body,
    string? TraceParent,
    DateTimeOffset CreatedAt,
    int Attempts = 0,
    DateTimeOffset? PublishedAt = null,
    string? MessageId = null,
    string? LastError = null);

/// <summary>What waits in an outbox: rows still tried, the oldest of them, and rows given up on.</summary>
public sealed record OutboxStats(int Pending, DateTimeOffset? OldestPendingCreatedAt, int Parked);
