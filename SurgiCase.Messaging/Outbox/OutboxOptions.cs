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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RetryMaxDelay < RetryInitialDelay)
        {
            yield return new ValidationResult("Outbox RetryMaxDelay must not be below RetryInitialDelay.", [nameof(RetryMaxDelay)]);
        }
    }
}

/// <summary>Validates <see cref="OutboxOptions"/> under the section the service bound them from, so a message names the key.</summary>
[OptionsValidator]
internal sealed partial class OutboxOptionsValidator(string section) : IValidateOptions<OutboxOptions>
{
    ValidateOptionsResult IValidateOptions<OutboxOptions>.Validate(string? name, OutboxOptions options) => Validate(section, options);
}
