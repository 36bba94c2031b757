using System.Text.Json;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// Reads an SQS message of the feedback queue: an SNS notification envelope (<c>{"Type":"Notification","Message":"…"}</c>)
/// or, with raw message delivery, the SES record itself. Both SES formats are read: event publishing through a
/// configuration set (<c>eventType</c>, what the stack sets up) and identity notifications (<c>notificationType</c>).
/// Only Bounce, Complaint and Delivery carry feedback; other event types (Send, Open, DeliveryDelay, …) and SNS's own
/// subscription messages are <see cref="SesFeedbackParse.Ignored"/>.
/// </summary>
internal static class SesFeedbackParser
{
    public static SesFeedbackParse Parse(string body)
    {
        try
        {
            using var outer = JsonDocument.Parse(body);
            var root = outer.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return SesFeedbackParse.Invalid("the body is not a JSON object");
            }

            if (Text(root, "Type") is { } snsType)
            {
                if (snsType != "Notification")
                {
                    return SesFeedbackParse.Ignored($"SNS {snsType}");
                }

                using var inner = JsonDocument.Parse(Text(root, "Message") ?? "");
                return Read(inner.RootElement);
            }

            return Read(root);
        }
        catch (JsonException)
        {
            return SesFeedbackParse.Invalid("the body or its SNS Message is not JSON");
        }
    }

    private static SesFeedbackParse Read(JsonElement record)
    {
        var kind = Text(record, "eventType") ?? Text(record, "notificationType");
        if (kind is null)
        {
            return SesFeedbackParse.Invalid("neither eventType nor notificationType is set");
        }

        if (kind is not ("Bounce" or "Complaint" or "Delivery"))
        {
            return SesFeedbackParse.Ignored($"SES {kind}");
        }

        if (!record.TryGetProperty("mail", out var mail) || Text(mail, "messageId") is not { Length: > 0 } messageId)
        {
            return SesFeedbackParse.Invalid($"the {kind} has no mail.messageId");
        }

        var detailsName = kind.ToLowerInvariant();
        if (!record.TryGetProperty(detailsName, out var details) || details.ValueKind != JsonValueKind.Object)
        {
            return SesFeedbackParse.Invalid($"the {kind} has no '{detailsName}' object");
        }

        var occurredAt = Time(details, "timestamp") ?? Time(mail, "timestamp") ?? DateTimeOffset.UnixEpoch;
        var recipients = kind switch
        {
            "Bounce" => Bounced(details),
            "Complaint" => Complained(details),
            _ => Delivered(details),
        };
        return recipients.Count == 0
            ? SesFeedbackParse.Invalid($"the {kind} names no recipient")
            : SesFeedbackParse.Read(new SesFeedback(messageId, kind, occurredAt, recipients));
    }

    private static List<RecipientFeedback> Bounced(JsonElement bounce)
    {
        var permanent = Text(bounce, "bounceType") == "Permanent";
        var type = $"{Text(bounce, "bounceType") ?? "Undetermined"}/{Text(bounce, "bounceSubType") ?? "Undetermined"}";
        return Each(bounce, "bouncedRecipients", r => new RecipientFeedback(
            Address(r)!, FeedbackOutcome.Bounced, permanent,
            Join(type, Text(r, "status"), Text(r, "diagnosticCode"))));
    }

    private static List<RecipientFeedback> Complained(JsonElement complaint)
    {
        var type = Text(complaint, "complaintFeedbackType");
        return Each(complaint, "complainedRecipients", r => new RecipientFeedback(
            Address(r)!, FeedbackOutcome.Complained, false, type is null ? "complaint" : $"complaint: {type}"));
    }

    private static List<RecipientFeedback> Delivered(JsonElement delivery)
    {
        var smtp = Text(delivery, "smtpResponse");
        var list = new List<RecipientFeedback>();
        if (delivery.TryGetProperty("recipients", out var recipients) && recipients.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in recipients.EnumerateArray())
            {
                if (r.ValueKind == JsonValueKind.String && r.GetString() is { Length: > 0 } address)
                {
                    list.Add(new RecipientFeedback(Normalize(address), FeedbackOutcome.Delivered, false, smtp));
                }
            }
        }

        return list;
    }

    private static List<RecipientFeedback> Each(JsonElement details, string name, Func<JsonElement, RecipientFeedback> read)
    {
        var list = new List<RecipientFeedback>();
        if (details.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            list.AddRange(array.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.Object && Address(r) is not null).Select(read));
        }

        return list;
    }

    private static string? Address(JsonElement recipient) =>
        Text(recipient, "emailAddress") is { Length: > 0 } address ? Normalize(address) : null;

    /// <summary>Lower case, and the bare address of a "Name &lt;address&gt;" form, so feedback matches the address we sent to.</summary>
    internal static string Normalize(string address)
    {
        var start = address.LastIndexOf('<');
        var end = address.LastIndexOf('>');
        var bare = start >= 0 && end > start ? address[(start + 1)..end] : address;
        return bare.Trim().ToLowerInvariant();
    }

    private static string? Join(params string?[] parts) =>
        string.Join("; ", parts.Where(p => !string.IsNullOrWhiteSpace(p))) is { Length: > 0 } joined ? joined : null;

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Text(element, name) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}

/// <summary>A feedback message read: its feedback, or why it carries none (ignored) or cannot be read (invalid).</summary>
internal sealed record SesFeedbackParse(SesFeedback? Feedback, string? IgnoredReason, string? InvalidReason)
{
    public static SesFeedbackParse Read(SesFeedback feedback) => new(feedback, null, null);

    public static SesFeedbackParse Ignored(string reason) => new(null, reason, null);

    public static SesFeedbackParse Invalid(string reason) => new(null, null, reason);
}
