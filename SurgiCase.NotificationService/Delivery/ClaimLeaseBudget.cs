using System.Globalization;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.SecretsClient;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Start-up check that <c>Notifications:ClaimLease</c> covers the slowest delivery the configured timeouts allow. A
/// lease shorter than a live delivery lets a second replica take the claim over and send the alert while the first is
/// still sending it. The sum is what lies between the claim and the last fenced update: the recipients lookup, every
/// SES attempt with its backoff, the webhook (its URL lookup when it comes from a secret, and the post), and an
/// allowance for the delivery log's own statements waiting on a busy database.
/// </summary>
internal sealed class ClaimLeaseBudget(IOptions<AwsOptions> aws, IOptions<SecretsClientOptions> secrets, IOptions<WebhookOptions> webhook)
    : IValidateOptions<NotificationOptions>
{
    /// <summary>One wait on a busy database (SQLite's busy timeout, Npgsql's command timeout: 30 s each).</summary>
    public static readonly TimeSpan DatabaseAllowance = TimeSpan.FromSeconds(30);

    public ValidateOptionsResult Validate(string? name, NotificationOptions options)
    {
        var parts = Parts(options).ToList();
        var worstCase = parts.Aggregate(TimeSpan.Zero, (sum, part) => sum + part.Time);
        if (options.ClaimLease >= worstCase)
        {
            return ValidateOptionsResult.Success;
        }

        var detail = string.Join(" + ", parts.Select(p => $"{p.What} {Seconds(p.Time)}"));
        return ValidateOptionsResult.Fail(
            $"{NotificationOptions.SectionName}:{nameof(NotificationOptions.ClaimLease)} ({Seconds(options.ClaimLease)}) is shorter than the slowest " +
            $"delivery the configured timeouts allow ({Seconds(worstCase)} = {detail}); another replica could send the alert a second time. " +
            "Raise the lease or lower those timeouts.");
    }

    private IEnumerable<(string What, TimeSpan Time)> Parts(NotificationOptions options)
    {
        yield return ("recipients lookup (SecretsClient:Timeout)", secrets.Value.Timeout);
        yield return ($"SES ({options.SesMaxAttempts.ToString(CultureInfo.InvariantCulture)} x Aws:RequestTimeout)", options.SesMaxAttempts * aws.Value.RequestTimeout);

        // SesEmailChannel doubles its wait after each failed attempt.
        var backoff = TimeSpan.Zero;
        var delay = options.SesRetryBaseDelay;
        for (var attempt = 1; attempt < options.SesMaxAttempts; attempt++)
        {
            backoff += delay;
            delay *= 2;
        }

        yield return ("SES backoff", backoff);
        if (webhook.Value.Url is null && !string.IsNullOrEmpty(webhook.Value.SecretName))
        {
            yield return ("webhook URL lookup (SecretsClient:Timeout)", secrets.Value.Timeout);
        }

        yield return ("webhook post (Notifications:Webhook:Timeout)", webhook.Value.Timeout);
        yield return ("database waits", DatabaseAllowance);
    }

    private static string Seconds(TimeSpan time) => $"{time.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
