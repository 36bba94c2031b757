using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.SecretsClient;

/// <summary>Where the SecretsService is, the key this service presents and how long to wait for it. Bound from the <c>SecretsClient</c> section.</summary>
public sealed class SecretsClientOptions
{
    public const string SectionName = "SecretsClient";

    [Required]
    public Uri BaseAddress { get; set; } = new("http://secrets-service");

    /// <summary>This caller's key for the SecretsService (an Aspire secret parameter); never logged.</summary>
    [Required(ErrorMessage = "SecretsClient:ApiKey is required: set it to this service's SecretsService API key.")]
    public string ApiKey { get; set; } = "";

    /// <summary>
    /// Deadline for one lookup, the retry included. When it passes, the last-known-good copy is served: a cached
    /// lookup takes milliseconds, so a SecretsService that needs longer is as good as down.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Immediate retries after a failed connection (a replica restarting, a dead pooled connection); 0 or 1.</summary>
    [Range(0, 1)]
    public int ConnectRetries { get; set; } = 1;
}

[OptionsValidator]
internal sealed partial class SecretsClientOptionsValidator : IValidateOptions<SecretsClientOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SecretsClientOptions>.Validate(string? name, SecretsClientOptions options) => Validate(SecretsClientOptions.SectionName, options);
}
