namespace SurgiCase.Operations.Panels;

/// <summary>What a side panel got: its data, or a sentence saying why not (the page renders either way).</summary>
public sealed record PanelResult<T>(T? Value, string? Problem) where T : class
{
    public static PanelResult<T> Ok(T value) => new(value, null);

    public static PanelResult<T> Failed(string problem) => new(null, problem);
}

/// <summary>An alert as NotificationService lists it (the fields the page shows).</summary>
/// <param name="Severity">critical, warning or resolved; null for alerts logged before severities existed.</param>
public sealed record AlertSummary(
    long Id, string MessageType, string JobId, string JobName, string? ErrorKind, string? Subject, string Status,
    string? Channel, IReadOnlyList<string>? Recipients, DateTimeOffset CreatedAt, DateTimeOffset? SentAt, string? LastError,
    string? Severity = null)
{
    /// <summary>A critical job alert: it can be acknowledged (NotificationService decides).</summary>
    public bool Acknowledgeable { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public int RemindersSent { get; init; }

    public DateTimeOffset? NextReminderAt { get; init; }

    /// <summary>Why reminders stopped without an acknowledgement (recovered, escalated).</summary>
    public string? RemindersEnded { get; init; }

    public IReadOnlyList<string>? EscalatedTo { get; init; }

    /// <summary>A test alert's sender ("Name [subject] (operations page)"); null on every other alert.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>What SES reported per recipient (delivered, bounced, complained); null before any feedback.</summary>
    public IReadOnlyList<RecipientDelivery>? Deliveries { get; init; }
}

/// <summary>One recipient's delivery of an alert, from SES's feedback.</summary>
/// <param name="Outcome">delivered, bounced or complained.</param>
/// <param name="Permanent">A hard bounce: the address is flagged until it is fixed and cleared.</param>
/// <param name="Rebound">Where a bounced critical alert was re-sent.</param>
public sealed record RecipientDelivery(string Address, string Outcome, bool Permanent, DateTimeOffset At, string? Detail, string? Rebound);

/// <summary>One secret in SecretsService's cache, without its value.</summary>
public sealed record SecretsCacheEntry(
    string Name, long? AgeSeconds, string LastOutcome, string? LastErrorCode, bool Stale, string? VersionId, DateTimeOffset? LastAttemptAt);

/// <summary>SecretsService's <c>GET /cache</c>: the AWS circuit breaker and every cached secret.</summary>
public sealed record SecretsCacheHealth(string CircuitBreaker, IReadOnlyList<SecretsCacheEntry> Entries);

/// <summary>An alert's HTML exactly as emailed, or the status and sentence to answer instead.</summary>
internal sealed record AlertPreview(string? Html, int StatusCode, string? Problem);

/// <summary>
/// NotificationService's answer to an acknowledgement, a link lookup or a test alert: the alert (200), or the status and
/// its problem's sentence (409 already acknowledged, 400 invalid link, 410 expired link, 404, 502 not delivered or
/// unreachable, 503 not configured).
/// </summary>
public sealed record AcknowledgeAnswer(int StatusCode, AlertSummary? Alert, string? Title, string? Detail)
{
    public bool Succeeded => StatusCode == 200 && Alert is not null;
}
