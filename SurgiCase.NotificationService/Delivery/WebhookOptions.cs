using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>Where the fallback webhook is. Bound from <c>Notifications:Webhook</c>.</summary>
internal sealed class WebhookOptions
{
    public const string SectionName = "Notifications:Webhook";

    /// <summary>The webhook URL; a Slack incoming-webhook URL is a secret, so it normally comes from configuration fed by a secret store.</summary>
    public Uri? Url { get; set; }

    /// <summary>
    /// Alternatively, a JSON secret (through SecretsService) holding the URL, e.g. <c>surgicase/slack</c>;
    /// used when <see cref="Url"/> is not set.
    /// </summary>
    public string? SecretName { get; set; }

    /// <summary>The field of <see cref="SecretName"/> that holds the URL.</summary>
    public string SecretField { get; set; } = "webhook_url";

    /// <summary>
    /// The one attempt's time limit. The post is never retried (a retried POST can put the alert in the channel
    /// twice), so this alone bounds the webhook's share of a delivery, which must fit in the claim lease.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary><c>slack</c> posts <c>{"text": ...}</c>; <c>json</c> posts the whole alert.</summary>
    [RegularExpression("^(slack|json)$")]
    public string Format { get; set; } = "slack";

    /// <summary>
    /// Severities posted to the webhook beside the email, not only when email fails: comma-separated from
    /// <c>critical</c>, <c>warning</c>, <c>resolved</c>; empty makes the webhook a fallback only.
    /// </summary>
    [RegularExpression("^ *((critical|warning|resolved) *(, *(critical|warning|resolved) *)*)?$")]
    public string ParallelSeverities { get; set; } = "critical";

    public bool PostsInParallel(string severity) =>
        ParallelSeverities.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(severity, StringComparer.Ordinal);

    /// <summary>
    /// Hosts the webhook may post to (<c>hooks.slack.com</c>, or <c>*.example.com</c> for subdomains); empty: any
    /// https host. Applies to the configured URL and to one read from the secret.
    /// </summary>
    public string[] AllowedHosts { get; set; } = [];
}

[OptionsValidator]
internal sealed partial class WebhookOptionsValidator : IValidateOptions<WebhookOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<WebhookOptions>.Validate(string? name, WebhookOptions options) => Validate(WebhookOptions.SectionName, options);
}
