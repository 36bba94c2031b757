using System.ComponentModel.DataAnnotations;

namespace SurgiCase.SecretsClient;

/// <summary>Where the SecretsService is and the key this service presents. Bound from the <c>SecretsClient</c> section.</summary>
public sealed class SecretsClientOptions
{
    public const string SectionName = "SecretsClient";

    [Required]
    public Uri BaseAddress { get; set; } = new("http://secrets-service");

    /// <summary>This caller's key for the SecretsService (an Aspire secret parameter); never logged.</summary>
    [Required(ErrorMessage = "SecretsClient:ApiKey is required: set it to this service's SecretsService API key.")]
    public string ApiKey { get; set; } = "";
}
