using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.DeadLetters;

/// <summary>
/// The attributes the consumer (SurgiCase.Messaging.Sqs' JobEventMessageProcessor) sets on every message it moves to the
/// DLQ; a message SQS itself moved after too many receives has neither.
/// </summary>
internal static class DeadLetterAttributes
{
    /// <summary>Why the consumer dead-lettered it (poison, or parked after the fallback webhook took the alert).</summary>
    public const string Reason = "dead-letter-reason";

    /// <summary>Set as well when the message can never be handled: a replay would only bring it back.</summary>
    public const string PoisonReason = "poison-reason";
}

/// <summary>One message in the DLQ as an operator sees it.</summary>
/// <param name="MessageId">The DLQ message's id (replay it by this, or by its event id).</param>
/// <param name="MessageType">The <c>message-type</c> attribute.</param>
/// <param name="Reason">Why it was dead-lettered.</param>
/// <param name="Poison">It can never be handled (unreadable, or a reused event id): replays skip it.</param>
/// <param name="DeadLetteredAt">When it entered the DLQ (its SentTimestamp; for a message SQS moved, when it was first sent).</param>
/// <param name="AgeSeconds">How long it has waited since then.</param>
/// <param name="DeliveryStatus">The delivery log's status of its event (sent: a replay sends nothing more); null when unlogged.</param>
internal sealed record DeadLetter(
    string MessageId, string? EventId, string? MessageType, string? JobId, string? JobName, DateTimeOffset? OccurredAt, string Reason, bool Poison,
    DateTimeOffset? DeadLetteredAt, long? AgeSeconds, string? DeliveryStatus)
{
    public static DeadLetter From(Message message, int maxReceiveCount, DateTimeOffset now, int maxMessageBytes)
    {
        var attributes = message.MessageAttributes ?? [];
        var messageType = Attribute(attributes, MessageTypes.AttributeName);
        IJobEvent? jobEvent;
        string? unreadable = null;
        try
        {
            jobEvent = JobEventSerializer.Deserialize(messageType, message.Body, maxMessageBytes);
        }
        catch (PoisonMessageException poison)
        {
            (jobEvent, unreadable) = (null, poison.Reason);
        }

        var poisonReason = Attribute(attributes, DeadLetterAttributes.PoisonReason);
        var reason = Attribute(attributes, DeadLetterAttributes.Reason) ?? poisonReason ?? unreadable
            ?? $"every delivery attempt failed; SQS moved it after {maxReceiveCount.ToString(CultureInfo.InvariantCulture)} receives";
        var sentAt = message.Attributes?.TryGetValue(MessageSystemAttributeName.SentTimestamp, out var text) == true
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
                ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
                : (DateTimeOffset?)null;
        return new DeadLetter(
            message.MessageId, jobEvent?.EventId, messageType is null ? null : ControlCharacters.Strip(messageType), jobEvent?.JobId, jobEvent?.JobName,
            jobEvent?.OccurredAt, ControlCharacters.Strip(reason), Poison: poisonReason is not null || unreadable is not null,
            sentAt, sentAt is { } at ? Math.Max(0, (long)(now - at).TotalSeconds) : null, DeliveryStatus: null);
    }

    private static string? Attribute(Dictionary<string, MessageAttributeValue> attributes, string name) =>
        attributes.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.StringValue) ? value.StringValue : null;
}

/// <summary><c>GET /dead-letters</c>: the DLQ's approximate size and its first messages.</summary>
/// <param name="ApproximateCount">SQS's ApproximateNumberOfMessages before the read.</param>
internal sealed record DeadLetterList(string Queue, int ApproximateCount, IReadOnlyList<DeadLetter> Messages);

/// <summary>What a replay did.</summary>
/// <param name="Replayed">The messages sent back to the job-events queue.</param>
/// <param name="DuplicatesRemoved">Further DLQ copies of an event already replayed: deleted, not sent (idempotent by event id).</param>
/// <param name="SkippedPoison">Poison messages left in the DLQ: they can never be handled.</param>
/// <param name="Remaining">The DLQ's approximate size afterwards.</param>
internal sealed record ReplayReport(IReadOnlyList<DeadLetter> Replayed, int DuplicatesRemoved, int SkippedPoison, int Remaining);
