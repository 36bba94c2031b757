using System.Text.Json;
using Microsoft.Extensions.Options;

namespace SurgiCase.LocalAwsProxy.Ses;

/// <summary>
/// Plays SES's mailbox simulator, which moto does not (its own feedback is canned: a fixed messageId and
/// recipient1@example.com, so it cannot be matched to an alert). After an SES v2 SendEmail that moto accepted, for each
/// destination at simulator.amazonses.com, it publishes the event record SES would
/// (<see cref="MailboxSimulatorEvents"/>), with mail.messageId = the MessageId moto answered, to the feedback topic
/// (<c>LocalAwsProxy:SesFeedbackTopicArn</c>) through moto's SNS Publish: moto delivers it to the subscribed queue in
/// the SNS envelope, as AWS does. No topic configured: nothing is published.
/// </summary>
internal sealed partial class MailboxSimulator(HttpClient moto, IOptions<LocalAwsProxyOptions> options, TimeProvider time, ILogger<MailboxSimulator> logger)
{
    public const string SendEmailPath = "/v2/email/outbound-emails";

    public static bool IsSendEmail(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(SendEmailPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>Publishes the feedback of one accepted SendEmail; never throws (a local stand-in must not fail the send).</summary>
    public async Task PublishAsync(byte[] requestBody, byte[] responseBody, CancellationToken cancellationToken)
    {
        if (options.Value.SesFeedbackTopicArn is not { Length: > 0 } topicArn || Read(requestBody, responseBody, time.GetUtcNow()) is not { } email)
        {
            return;
        }

        foreach (var recipient in email.Destinations.Where(d => MailboxSimulatorEvents.MailboxOf(d) is not null))
        {
            foreach (var record in MailboxSimulatorEvents.For(email, recipient, time.GetUtcNow()))
            {
                var eventType = record["eventType"]!.GetValue<string>();
                try
                {
                    await PublishAsync(topicArn, record.ToJsonString(), cancellationToken);
                    LogPublished(logger, eventType, recipient, email.MessageId);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    LogPublishFailed(logger, eventType, recipient, email.MessageId, e.Message);
                }
            }
        }
    }

    private async Task PublishAsync(string topicArn, string message, CancellationToken cancellationToken)
    {
        // SNS is a query-protocol API; moto routes by the credential scope and does not check the signature.
        var region = topicArn.Split(':') is { Length: > 3 } parts ? parts[3] : "us-east-1";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "Publish", ["Version"] = "2010-03-31", ["TopicArn"] = topicArn, ["Message"] = message,
            }),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=test/20260101/{region}/sns/aws4_request, SignedHeaders=host, Signature=00");
        using var response = await moto.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"SNS Publish answered {(int)response.StatusCode}");
        }
    }

    private static SentEmail? Read(byte[] requestBody, byte[] responseBody, DateTimeOffset now)
    {
        try
        {
            using var sent = JsonDocument.Parse(requestBody);
            using var answer = JsonDocument.Parse(responseBody);
            if (!answer.RootElement.TryGetProperty("MessageId", out var id) || id.GetString() is not { Length: > 0 } messageId)
            {
                return null;
            }

            var root = sent.RootElement;
            var destinations = new List<string>();
            if (root.TryGetProperty("Destination", out var destination))
            {
                foreach (var field in new[] { "ToAddresses", "CcAddresses", "BccAddresses" })
                {
                    if (destination.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array)
                    {
                        destinations.AddRange(list.EnumerateArray().Select(a => a.GetString()).OfType<string>());
                    }
                }
            }

            var from = root.TryGetProperty("FromEmailAddress", out var f) ? f.GetString() ?? "" : "";
            var set = root.TryGetProperty("ConfigurationSetName", out var c) ? c.GetString() : null;
            return new SentEmail(messageId, from, destinations, set, now);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Mailbox simulator: published {EventType} for {Recipient} of SES message {MessageId}")]
    private static partial void LogPublished(ILogger logger, string eventType, string recipient, string messageId);

    [LoggerMessage(EventId = 12, Level = LogLevel.Warning, Message = "Mailbox simulator: publishing {EventType} for {Recipient} of SES message {MessageId} failed: {Error}")]
    private static partial void LogPublishFailed(ILogger logger, string eventType, string recipient, string messageId, string error);
}
