namespace SurgiCase.NotificationService.Storage;

/// <summary>One row of the delivery log as the API shows it (without the rendered bodies).</summary>
internal sealed record NotificationRecord(
    long Id,
    string EventId,
    string MessageType,
    string JobId,
    string JobName,
    string? ErrorKind,
    string? Subject,
    string Status,
    string? Channel,
    IReadOnlyList<string> Recipients,
    string? SesMessageId,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SentAt,
    string? LastError,
    string? Note,
    string? Severity = null);
