using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.SchedulerService.Jobs;

/// <summary>Bound from <c>SurgiCaseApi</c>: where relative job URLs point.</summary>
public sealed class SurgiCaseApiOptions : IValidatableObject
{
    public const string SectionName = "SurgiCaseApi";

    [Required(ErrorMessage = "SurgiCaseApi:BaseAddress is required: the URL of the SurgiCase API the jobs call.")]
    public Uri BaseAddress { get; set; } = new("http://api-simulator");

    /// <summary>
    /// SecretsService secret holding the key sent as <c>X-Api-Key</c> to this API. Empty: no key is sent (and no
    /// SecretsService client is registered). Read once at start-up, when the services are wired.
    /// </summary>
    public string? ApiKeySecretName { get; set; } = "surgicase/api";

    /// <summary>Field of the JSON secret that holds the key.</summary>
    public string ApiKeySecretField { get; set; } = "api_key";

    /// <summary>
    /// Path (relative to <see cref="BaseAddress"/>) the automatic recovery probes with an anonymous <c>GET</c> to learn
    /// that the API answers again; any 2xx counts. It must not produce a report.
    /// </summary>
    public string HealthPath { get; set; } = "/api/health";

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BaseAddress is { IsAbsoluteUri: false } || BaseAddress is { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult("SurgiCaseApi:BaseAddress must be an absolute http(s) URL.", [nameof(BaseAddress)]);
        }

        if (string.IsNullOrWhiteSpace(HealthPath) || !HealthPath.StartsWith('/') || HealthPath.StartsWith("//", StringComparison.Ordinal))
        {
            yield return new ValidationResult("SurgiCaseApi:HealthPath must be a path on the API starting with '/'.", [nameof(HealthPath)]);
        }

        if (!string.IsNullOrEmpty(ApiKeySecretName) && string.IsNullOrWhiteSpace(ApiKeySecretField))
        {
            yield return new ValidationResult(
                "SurgiCaseApi:ApiKeySecretField must name the secret's field when SurgiCaseApi:ApiKeySecretName is set.", [nameof(ApiKeySecretField)]);
        }
    }
}

[OptionsValidator]
internal sealed partial class SurgiCaseApiOptionsValidator : IValidateOptions<SurgiCaseApiOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SurgiCaseApiOptions>.Validate(string? name, SurgiCaseApiOptions options) => Validate(SurgiCaseApiOptions.SectionName, options);
}
