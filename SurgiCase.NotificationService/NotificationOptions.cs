using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService;

/// <summary>How alerts are addressed, rendered, stored and retried. Bound from the <c>Notifications</c> section.</summary>
internal sealed class NotificationOptions : IValidatableObject
{
    public const string SectionName = "Notifications";

    /// <summary>The SES identity alerts are sent from; it must be verified in SES.</summary>
    [Required, EmailAddress]
    public string Sender { get; set; } = "alerts@surgicase.local";

    /// <summary>Linked from every email so the reader can go straight to the job's runs.</summary>
    [Required]
    public Uri OperationsPageUrl { get; set; } = new("http://localhost:5100/");

    /// <summary>
    /// The published runbook (docs/runbook.md, e.g. its page in the repository's web view or a wiki copy), linked as the
    /// last troubleshooting step of every failure alert with the section of its error kind (<c>#timeout</c>). Absolute
    /// http(s), without a fragment. Not set: the step names <c>docs/runbook.md#timeout</c> in the repository.
    /// </summary>
    public Uri? RunbookUrl { get; set; }

    /// <summary>Folder of the SQLite delivery log.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>
    /// Used when the recipients secret is unreachable or holds neither <c>job_failure_recipients</c> nor
    /// <c>admin_email</c>: comma-separated, so one environment variable can set it.
    /// </summary>
    public string? FallbackRecipients { get; set; }

    /// <summary>The secret holding <c>job_failure_recipients</c> and <c>admin_email</c>.</summary>
    [Required]
    public string RecipientsSecretName { get; set; } = "surgicase/main";

    /// <summary>SES sends tried for one delivery before the fallback channel takes over (transient errors only).</summary>
    [Range(1, 10)]
    public int SesMaxAttempts { get; set; } = 3;

    /// <summary>First wait between SES attempts; doubled each time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan SesRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a claimed event is reserved for the replica that claimed it. A replica that dies mid-send
    /// loses the claim after this, and the redelivered message is sent by whoever gets it next.
    /// </summary>
    /// <remarks>
    /// Must outlast the slowest live delivery, or a second replica takes over and the alert goes out twice; start-up
    /// checks it against the configured timeouts (<c>ClaimLeaseBudget</c>, 81.5 s with the defaults). The lease is
    /// kept on the database's clock, so replicas with skewed clocks agree on it.
    /// With the defaults, everything between the claim and the final record is bounded by:
    /// recipients lookup (SecretsClient:Timeout, 5 s) + SES (SesMaxAttempts 3 × Aws:RequestTimeout 10 s
    /// + backoff 0.5 s + 1 s) + webhook URL lookup when it comes from a secret (5 s) + webhook post
    /// (Notifications:Webhook:Timeout 10 s, one attempt) = 51.5 s, plus a few delivery-log statements, each of
    /// which may wait on a busy database (SQLite busy timeout / Npgsql command timeout, 30 s). 60 s left too little
    /// room for those, hence 90 s. Raise it with any of those settings; the cost of a longer lease is only that a
    /// claim of a replica that died mid-send blocks its redelivery that much longer.
    /// </remarks>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// How often a delivery that meets another replica's live claim looks again. It waits (up to the lease)
    /// rather than failing the message, so a redelivery racing a slow send does not use up the message's
    /// receives and land in the DLQ unsent when the owner dies.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan ClaimPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Repeats of a failure (same job, same error kind) within this time of the last emailed alert are
    /// recorded but not emailed; the next email says how many there were. Zero turns suppression off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan StormWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often each replica looks for storm windows that have closed with folded repeats, to send their digest.
    /// A digest goes out at most this long after its window ends.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan DigestCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a delivery-log row keeps its rendered email (html, text); the retention sweep empties them after.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan BodyRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long a delivery-log row is kept at all. At least 14 days, SQS's longest message retention: a younger row may
    /// still be the guard that stops a redelivered event from being emailed twice.
    /// </summary>
    [Range(typeof(TimeSpan), "14.00:00:00", "3650.00:00:00")]
    public TimeSpan RowRetention { get; set; } = TimeSpan.FromDays(365);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RunbookUrl is { } runbook && (!runbook.IsAbsoluteUri || runbook.Scheme is not ("https" or "http") || runbook.Fragment.Length > 0))
        {
            yield return new ValidationResult(
                $"{SectionName}:RunbookUrl must be an absolute http(s) URL without a fragment (each alert adds its section's).", [nameof(RunbookUrl)]);
        }

        if (RowRetention < BodyRetention)
        {
            yield return new ValidationResult($"{SectionName}:RowRetention must not be below BodyRetention.", [nameof(RowRetention)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class NotificationOptionsValidator : IValidateOptions<NotificationOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<NotificationOptions>.Validate(string? name, NotificationOptions options) => Validate(NotificationOptions.SectionName, options);
}
