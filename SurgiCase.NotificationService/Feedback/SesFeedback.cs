namespace SurgiCase.NotificationService.Feedback;

/// <summary>What one recipient's mailbox made of an email: the delivery log's <c>delivery_feedback.outcome</c> values.</summary>
internal static class FeedbackOutcome
{
    public const string Delivered = "delivered";
    public const string Bounced = "bounced";
    public const string Complained = "complained";
}

/// <summary>One recipient's feedback on an email SES sent.</summary>
/// <param name="Permanent">A hard bounce (<c>bounceType</c> Permanent): the address does not take mail.</param>
/// <param name="Detail">What the receiving side said (status and diagnostic code, complaint type, SMTP answer).</param>
internal sealed record RecipientFeedback(string Address, string Outcome, bool Permanent, string? Detail);

/// <summary>An SES bounce, complaint or delivery notification, reduced to what the delivery log keeps.</summary>
/// <param name="MessageId"><c>mail.messageId</c>: the id SendEmail answered, which the delivery log stores per alert.</param>
internal sealed record SesFeedback(string MessageId, string Kind, DateTimeOffset OccurredAt, IReadOnlyList<RecipientFeedback> Recipients);
