using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurgiCase.Aws;

/// <summary>Amazon SES v2 over REST-JSON: <c>POST /v2/email/outbound-emails</c>, signed as service <c>ses</c>.</summary>
internal sealed class SesEmailClient(HttpClient http, IOptions<SesOptions> options, ILogger<SesEmailClient> logger) : ISesEmailClient
{
    public const string ServiceName = AwsServiceNames.Ses;

    public Task<string> SendEmailAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentException.ThrowIfNullOrEmpty(message.From);
        if (message.To.Count == 0)
        {
            throw new ArgumentException("An email needs at least one recipient.", nameof(message));
        }

        var body = new SendEmailRequest(
            message.From,
            new SesDestination(message.To),
            new SesContent(new SesSimpleContent(
                new SesContentPart(message.Subject),
                new SesBody(new SesContentPart(message.HtmlBody), new SesContentPart(message.TextBody)))),
            string.IsNullOrWhiteSpace(options.Value.ConfigurationSetName) ? null : options.Value.ConfigurationSetName);

        return AwsCall.SendAsync(
            http,
            logger,
            ServiceName,
            "SendEmail",
            isRead: false,
            () => new HttpRequestMessage(HttpMethod.Post, "/v2/email/outbound-emails")
            {
                Content = JsonContent.Create(body, AwsWireJson.Default.SendEmailRequest),
            },
            async (content, ct) =>
            {
                var response = await content.ReadFromJsonAsync(AwsWireJson.Default.SendEmailResponse, ct).ConfigureAwait(false);
                return response?.MessageId;
            },
            // Recipients and bodies are personal data; only the count goes on the span.
            activity => activity.SetTag("aws.ses.recipient_count", message.To.Count),
            cancellationToken);
    }
}
