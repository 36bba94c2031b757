namespace SurgiCase.Operations.Panels;

/// <summary>One message in the job-events DLQ, as NotificationService lists it (<c>GET /dead-letters</c>).</summary>
/// <param name="DeliveryStatus">What the delivery log says of its event: sent means a replay emails nothing more.</param>
public sealed record DeadLetterSummary(
    string MessageId, string? EventId, string? MessageType, string? JobId, string? JobName, string Reason, bool Poison,
    DateTimeOffset? DeadLetteredAt, long? AgeSeconds, string? DeliveryStatus);

/// <summary>The DLQ's approximate size and its first messages.</summary>
public sealed record DeadLetterListing(string Queue, int ApproximateCount, IReadOnlyList<DeadLetterSummary> Messages);

/// <summary>NotificationService's answer to a replay: how many went back, or the status and its problem's sentence.</summary>
public sealed record ReplayAnswer(int StatusCode, int Replayed, int SkippedPoison, string? Title, string? Detail)
{
    public bool Succeeded => StatusCode == 200;
}
