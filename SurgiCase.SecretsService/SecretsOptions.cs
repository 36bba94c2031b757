using System.ComponentModel.DataAnnotations;

namespace SurgiCase.SecretsService;

/// <summary>Cache, breaker, warming and snapshot settings. Bound from the <c>Secrets</c> configuration section.</summary>
internal sealed class SecretsOptions
{
    public const string SectionName = "Secrets";

    /// <summary>How long a fetched value is served from memory before AWS is asked again (the seed's cache_ttl=3600).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Up to this fraction of <see cref="Ttl"/> is taken off at random per entry, so entries warmed together do not expire together.</summary>
    [Range(0.0, 0.5)]
    public double TtlJitter { get; set; } = 0.1;

    /// <summary>Oldest value that may still be served stale; null means any age, as in the seed.</summary>
    public TimeSpan? MaxStaleness { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan WarmingInterval { get; set; } = TimeSpan.FromMinutes(30);

    public bool WarmOnStartup { get; set; } = true;

    /// <summary>The secrets the warming job refreshes.</summary>
    public List<string> SecretNames { get; set; } = [];

    [Required]
    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    [Required]
    public SnapshotOptions Snapshot { get; set; } = new();
}

/// <summary>When to stop calling AWS after transient failures, and for how long.</summary>
internal sealed class CircuitBreakerOptions
{
    /// <summary>Consecutive transient failures that open the breaker.</summary>
    [Range(1, 1000)]
    public int FailureThreshold { get; set; } = 5;

    /// <summary>First cool-down; doubled after each failed probe up to <see cref="MaxBreakDuration"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan MaxBreakDuration { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// Optional last-known-good copy on disk, encrypted with ASP.NET Core Data Protection. Enable it where an instance can
/// restart during a Secrets Manager outage and its jobs must still run (single instance, no shared cache); leave it off
/// where the data folder is not trusted or Data Protection keys are not persisted.
/// </summary>
internal sealed class SnapshotOptions
{
    public bool Enabled { get; set; }

    /// <summary>File holding the encrypted snapshot; relative paths are under the content root.</summary>
    public string Path { get; set; } = "data/secrets-snapshot.bin";

    /// <summary>Folder for the Data Protection key ring; null uses the framework default location.</summary>
    public string? KeysPath { get; set; }
}
