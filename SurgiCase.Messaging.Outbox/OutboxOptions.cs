using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// Publishing of stored events: retried with backoff while the transport does not accept them. Bound from the section
/// the service names (<c>Scheduler:Outbox</c>, <c>Secrets:Outbox</c>).
/// </summary>
public sealed class OutboxOptions : IValidatableObject
{
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often pending rows are looked for without a signal (rows written by another replica).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed row is reserved for its publisher; a crashed publisher's rows are retried after it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Attempts after which a row is parked (kept, never tried again, reported by the health check). High on purpose:
    /// at the 1-minute cap 100 attempts ride out an SQS outage of over an hour and a half.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAttempts { get; set; } = 100;

    /// <summary>
    /// The largest event body the transport takes; a larger one is parked at once instead of being retried forever.
    /// SQS takes 256 KiB per message, attributes included: 252 KiB leaves room for them.
    /// </summary>
    [Range(1_024, 1_048_576)]
    public int MaxBodyBytes { get; set; } = 252 * 1024;

    /// <summary>A pending row older than this makes the outbox health check report Degraded.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan PendingAgeWarning { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a published row is kept (the retention sweep deletes it after).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan PublishedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a parked row (an alert that never left) is kept as evidence; not shorter than <see cref="PublishedRetention"/>.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ParkedRetention { get; set; } = TimeSpan.FromDays(90);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult("Outbox RetryMaxDelay must not be below RetryInitialDelay.", [nameof(RetryMaxDelay)]);
        }

        if (ParkedRetention < PublishedRetention)
        {
            yield return new ValidationResult("Outbox ParkedRetention must not be below PublishedRetention.", [nameof(ParkedRetention)]);
        }
    }
}

/// <summary>Validates <see cref="OutboxOptions"/> under the section the service bound them from, so a message names the key.</summary>
[OptionsValidator]
internal sealed partial class OutboxOptionsValidator(string section) : IValidateOptions<OutboxOptions>
{
    ValidateOptionsResult IValidateOptions<OutboxOptions>.Validate(string? name, OutboxOptions options) => Validate(section, options);
}
