using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Posts the alert to a Slack incoming webhook or a generic JSON webhook: the fallback when email cannot deliver, and
/// beside the email for <c>Notifications:Webhook:ParallelSeverities</c> (default critical). Not configured: no role.
/// </summary>
internal sealed class WebhookAlertChannel(
    HttpClient http, IOptions<WebhookOptions> options, WebhookUrlPolicy policy, IEnumerable<SurgiCase.SecretsClient.ISecretsClient> secrets)
    : IAlertChannel
{
    public const string HttpClientName = "fallback-webhook";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => DeliveryChannel.Webhook;

    private bool IsConfigured => options.Value.Url is not null || !string.IsNullOrEmpty(options.Value.SecretName);

    public ChannelRoles RolesFor(string severity) => !IsConfigured
        ? ChannelRoles.None
        : ChannelRoles.Fallback | (options.Value.PostsInParallel(severity) ? ChannelRoles.Parallel : ChannelRoles.None);

    public string RecordedText(ChannelMessage message) => SlackText.Write(message.Content, message.EarlierFailure);

    public async Task<ChannelOutcome> SendAsync(ChannelMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await PostAsync(message.Content, message.EarlierFailure, cancellationToken);
            return ChannelOutcome.Sent(null);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The type only: a message could quote the URL, and a Slack webhook's path is the token.
            return ChannelOutcome.Failed($"webhook failed: {e.GetType().Name}");
        }
    }

    private async Task PostAsync(AlertContent alert, string? emailFailure, CancellationToken cancellationToken)
    {
        var url = options.Value.Url ?? await UrlFromSecretAsync(cancellationToken);
        object payload = options.Value.Format == "json"
            ? new
            {
                severity = AlertSeverities.Name(alert.Severity),
                subject = alert.Subject,
                jobName = alert.JobName,
                occurredAt = alert.OccurredAtUtc,
                runId = alert.RunId,
                traceId = alert.TraceId,
                operationsPageUrl = alert.OperationsPageUrl,
                acknowledgeUrl = alert.AcknowledgeUrl,
                emailFailure,
                notes = alert.Notes,
                sections = alert.Sections,
            }
            : new { text = SlackText.Write(alert, emailFailure) };

        // Our own span instead of HttpClient's (which this client does not create, see the registration): its
        // url.full would carry the URL's path, and a Slack webhook's path is the token. Scheme and host only.
        using var activity = NotificationTelemetry.ActivitySource.StartActivity("webhook post", ActivityKind.Client);
        activity?.SetTag("url.scheme", url.Scheme);
        activity?.SetTag("server.address", url.Host);
        try
        {
            using var response = await http.PostAsJsonAsync(url, payload, Json, cancellationToken);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            response.EnsureSuccessStatusCode();
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            throw;
        }
    }

    private async Task<Uri> UrlFromSecretAsync(CancellationToken cancellationToken)
    {
        var (name, field) = (options.Value.SecretName, options.Value.SecretField);
        var client = secrets.FirstOrDefault();
        if (string.IsNullOrEmpty(name) || client is null)
        {
            throw new InvalidOperationException("No fallback webhook is configured.");
        }

        var value = await client.GetSecretFieldAsync(name, field, cancellationToken);

        // The URL is itself a secret (anyone holding it can post): the message names the field, never the value.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new InvalidOperationException($"Secret '{name}' field '{field}' does not hold an http(s) URL.");
        }

        return policy.Refusal(url, options.Value, $"The webhook URL in secret '{name}' field '{field}'") is { } refusal
            ? throw new InvalidOperationException(refusal)
            : url;
    }
}
