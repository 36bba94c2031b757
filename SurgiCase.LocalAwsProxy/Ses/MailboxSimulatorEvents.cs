using System.Text.Json.Nodes;

namespace SurgiCase.LocalAwsProxy.Ses;

/// <summary>
/// The SES event-publishing records (configuration set event destination → SNS, <c>"eventType"</c>) that SES's mailbox
/// simulator produces, in the shape AWS documents: success@ → Delivery; bounce@ → Bounce (Permanent/General, 5.1.1);
/// complaint@ → Delivery, then Complaint ("abuse"). A label (<c>bounce+alert7@…</c>) addresses the same mailbox.
/// </summary>
internal static class MailboxSimulatorEvents
{
    public const string Domain = "simulator.amazonses.com";
    public const string AccountId = "123456789012";
    private const string ReportingMta = "a8-70.smtp-out.amazonses.com";

    /// <summary>The simulator mailbox an address names (success, bounce, complaint), or null for any other address.</summary>
    public static string? MailboxOf(string address)
    {
        var at = address.LastIndexOf('@');
        if (at <= 0 || !address[(at + 1)..].Trim().TrimEnd('>').Equals(Domain, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var local = address[..at].Trim().TrimStart('<').ToLowerInvariant();
        var plus = local.IndexOf('+');
        var mailbox = plus >= 0 ? local[..plus] : local;
        return mailbox is "success" or "bounce" or "complaint" ? mailbox : null;
    }

    /// <summary>The records SES publishes for one simulator recipient of a sent email, in the order it publishes them.</summary>
    public static IEnumerable<JsonObject> For(SentEmail email, string recipient, DateTimeOffset now) => MailboxOf(recipient) switch
    {
        "success" => [Delivery(email, recipient, now)],
        "bounce" => [Bounce(email, recipient, now)],
        "complaint" => [Delivery(email, recipient, now), Complaint(email, recipient, now)],
        _ => [],
    };

    private static JsonObject Bounce(SentEmail email, string recipient, DateTimeOffset now) => Record("Bounce", email, now, new JsonObject
    {
        ["bounceType"] = "Permanent",
        ["bounceSubType"] = "General",
        ["bouncedRecipients"] = new JsonArray(new JsonObject
        {
            ["emailAddress"] = recipient,
            ["action"] = "failed",
            ["status"] = "5.1.1",
            ["diagnosticCode"] = "smtp; 550 5.1.1 user unknown",
        }),
        ["timestamp"] = Time(now),
        ["feedbackId"] = FeedbackId(),
        ["reportingMTA"] = $"dsn; {ReportingMta}",
    });

    private static JsonObject Complaint(SentEmail email, string recipient, DateTimeOffset now) => Record("Complaint", email, now, new JsonObject
    {
        ["complainedRecipients"] = new JsonArray(new JsonObject { ["emailAddress"] = recipient }),
        ["timestamp"] = Time(now),
        ["feedbackId"] = FeedbackId(),
        ["userAgent"] = "Amazon SES Mailbox Simulator",
        ["complaintFeedbackType"] = "abuse",
        ["arrivalDate"] = Time(now),
    });

    private static JsonObject Delivery(SentEmail email, string recipient, DateTimeOffset now) => Record("Delivery", email, now, new JsonObject
    {
        ["timestamp"] = Time(now),
        ["processingTimeMillis"] = (long)Math.Max(0, (now - email.SentAt).TotalMilliseconds),
        ["recipients"] = new JsonArray(recipient),
        ["smtpResponse"] = "250 2.6.0 Message received",
        ["reportingMTA"] = ReportingMta,
    });

    private static JsonObject Record(string eventType, SentEmail email, DateTimeOffset now, JsonObject details)
    {
        var mail = new JsonObject
        {
            ["timestamp"] = Time(email.SentAt),
            ["source"] = email.From,
            ["sendingAccountId"] = AccountId,
            ["messageId"] = email.MessageId,
            ["destination"] = new JsonArray(email.Destinations.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
        };
        if (email.ConfigurationSet is { } set)
        {
            mail["tags"] = new JsonObject { ["ses:configuration-set"] = new JsonArray(set) };
        }

        return new JsonObject { ["eventType"] = eventType, [eventType.ToLowerInvariant()] = details, ["mail"] = mail };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static string FeedbackId() => $"{Guid.NewGuid():N}-000000";
}

/// <summary>An email SES accepted: what SendEmail asked for and the MessageId it answered.</summary>
internal sealed record SentEmail(string MessageId, string From, IReadOnlyList<string> Destinations, string? ConfigurationSet, DateTimeOffset SentAt);
