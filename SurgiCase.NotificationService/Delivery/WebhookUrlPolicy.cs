using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Where an alert may be posted: https only outside Development (the alert and the URL's token would cross the network
/// in clear), and, when <see cref="WebhookOptions.AllowedHosts"/> lists any, only to those hosts, so a secret edited
/// by mistake or by someone else cannot send the alerts elsewhere. Checked at start-up for a configured URL and
/// before each post for one read from a secret. Messages name the host, never the URL (its path is the token).
/// </summary>
internal sealed class WebhookUrlPolicy(IServiceProvider services)
{
    // Optional: a bare ServiceCollection (the delivery tests) has no environment, and is then treated as deployed.
    private bool Development => services.GetService<IHostEnvironment>()?.IsDevelopment() == true;

    /// <summary>Null when <paramref name="url"/> may be posted to; else why not, naming <paramref name="source"/>.</summary>
    public string? Refusal(Uri url, WebhookOptions options, string source)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(Development && url.Scheme == Uri.UriSchemeHttp))
        {
            return $"{source} must be an https URL outside Development (it is {url.Scheme} to {url.Host}).";
        }

        return options.AllowedHosts is { Length: > 0 } allowed && !allowed.Any(host => Matches(host, url.Host))
            ? $"{source} names host {url.Host}, which is not in {WebhookOptions.SectionName}:AllowedHosts."
            : null;
    }

    /// <summary>An exact host, or <c>*.example.com</c> for its subdomains.</summary>
    private static bool Matches(string allowed, string host) =>
        allowed.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Stops start-up when <c>Notifications:Webhook:Url</c> breaks the <see cref="WebhookUrlPolicy"/>.</summary>
internal sealed class WebhookUrlValidator(WebhookUrlPolicy policy) : IValidateOptions<WebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookOptions options) =>
        options.Url is { } url && policy.Refusal(url, options, $"{WebhookOptions.SectionName}:Url") is { } refusal
            ? ValidateOptionsResult.Fail(refusal)
            : ValidateOptionsResult.Success;
}
