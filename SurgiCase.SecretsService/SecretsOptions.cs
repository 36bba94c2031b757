using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.SecretsService;

/// <summary>Cache, breaker, warming and snapshot settings. Bound from the <c>Secrets</c> configuration section.</summary>
internal sealed class SecretsOptions : IValidatableObject
{
    public const string SectionName = "Secrets";

    /// <summary>How long a fetched value is served from memory before AWS is asked again (the seed's cache_ttl=3600).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Up to this fraction of <see cref="Ttl"/> is taken off at random per entry, so entries warmed together do not expire together.</summary>
    [Range(0.0, 0.5)]
    public double TtlJitter { get; set; } = 0.1;

    /// <summary>Oldest value that may still be served stale; null means any age, as in the seed.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "3650.00:00:00", ErrorMessage = "Secrets:MaxStaleness must be positive when set.")]
    public TimeSpan? MaxStaleness { get; set; }

    /// <summary>
    /// How long AWS's "no such secret" is remembered for a name, so repeated lookups of it do not reach AWS; zero turns
    /// it off. A secret created meanwhile is found once this has passed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan NotFoundCacheDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Names remembered as not found at most; the oldest is forgotten first.</summary>
    [Range(1, 1_000_000)]
    public int NotFoundCacheSize { get; set; } = 1000;

    /// <summary>
    /// Secrets served stale for longer than this raise one warning alert (and a notice when they are fresh again): the
    /// seed's "stale cache warnings persisting for more than 1 hour". Checked every <see cref="StaleAlertCheckInterval"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan StaleAlertAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often this instance compares its stale secrets with <see cref="StaleAlertAfter"/>; the alert goes out at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StaleAlertCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WarmingInterval { get; set; } = TimeSpan.FromMinutes(30);

    public bool WarmOnStartup { get; set; } = true;

    /// <summary>
    /// Folder of the SQLite file holding the outbox of warming alerts (so an alert SQS refused survives a restart);
    /// relative paths are under the content root. <c>ConnectionStrings:Secrets</c> puts it in PostgreSQL instead.
    /// </summary>
    [Required]
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>The secrets the warming job refreshes.</summary>
    public List<string> SecretNames { get; set; } = [];

    [Required]
    [ValidateObjectMembers]
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    [Required]
    [ValidateObjectMembers]
    public SnapshotOptions Snapshot { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!SecretNames.TrueForAll(n => !string.IsNullOrWhiteSpace(n)))
        {
            yield return new ValidationResult($"{SectionName}:SecretNames must not contain empty names.", [nameof(SecretNames)]);
        }
    }
}

/// <summary>When to stop calling AWS after transient failures, and for how long.</summary>
internal sealed class CircuitBreakerOptions : IValidatableObject
{
    /// <summary>Consecutive transient failures that open the breaker; at least 2, as Polly's circuit breaker requires.</summary>
    [Range(2, 1000)]
    public int FailureThreshold { get; set; } = 5;

    /// <summary>First cool-down; doubled after each failed probe up to <see cref="MaxBreakDuration"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(2);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxBreakDuration < BreakDuration)
        {
            yield return new ValidationResult(
                $"{SecretsOptions.SectionName}:CircuitBreaker:BreakDuration must not be above MaxBreakDuration.", [nameof(BreakDuration)]);
        }
    }
}

/// <summary>
/// Optional last-known-good copy on disk, encrypted with ASP.NET Core Data Protection. Enable it where an instance can
/// restart during a Secrets Manager outage and its jobs must still run (single instance, no shared cache). The file is
/// created 0600 in a 0700 folder; its key ring is encrypted at rest with <c>DataProtection:KeyEncryptionKey</c>.
/// </summary>
internal sealed class SnapshotOptions : IValidatableObject
{
    public bool Enabled { get; set; }

    /// <summary>File holding the encrypted snapshot; relative paths are under the content root.</summary>
    public string Path { get; set; } = "data/secrets-snapshot.bin";

    /// <summary>Folder for the Data Protection key ring (<c>DataProtection:KeysDirectory</c> too); null keeps it in this service's database.</summary>
    public string? KeysPath { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Enabled && string.IsNullOrWhiteSpace(Path))
        {
            yield return new ValidationResult($"{SecretsOptions.SectionName}:Snapshot:Path is required when the snapshot is enabled.", [nameof(Path)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class SecretsOptionsValidator : IValidateOptions<SecretsOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SecretsOptions>.Validate(string? name, SecretsOptions options) => Validate(SecretsOptions.SectionName, options);
}
