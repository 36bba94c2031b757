using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Aws;

/// <summary>
/// Where AWS is and who we are to it. Bound from the <c>Aws</c> configuration section.
/// Credentials come from the standard AWSSDK.Core chain (environment, profile, instance role)
/// unless <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> are both set.
/// </summary>
public sealed class AwsOptions : IValidatableObject
{
    public const string SectionName = "Aws";

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Endpoint override for a local AWS (moto), e.g. <c>http://127.0.0.1:4566</c>. Null means real AWS.</summary>
    public Uri? ServiceUrl { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    /// <summary>How long one AWS call may take before it counts as a timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The Secrets Manager endpoint: <see cref="ServiceUrl"/> when set, else the regional AWS endpoint.</summary>
    public Uri SecretsManagerEndpoint => ServiceUrl ?? new Uri($"https://secretsmanager.{Region}.amazonaws.com");

    /// <summary>The SES v2 endpoint: <see cref="ServiceUrl"/> when set, else the regional AWS endpoint.</summary>
    public Uri SesEndpoint => ServiceUrl ?? new Uri($"https://email.{Region}.amazonaws.com");

    /// <summary>True when static keys are configured; otherwise the standard credential chain is used.</summary>
    public bool HasStaticCredentials => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Half a key pair is always a mistake; falling back to the chain would hide it.
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(AccessKeyId)} and {SectionName}:{nameof(SecretAccessKey)} must be set together or not at all.",
                [nameof(AccessKeyId), nameof(SecretAccessKey)]);
        }

        if (ServiceUrl is { IsAbsoluteUri: false } || ServiceUrl is { Scheme: not ("http" or "https") })
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(ServiceUrl)} must be an absolute http(s) URL.", [nameof(ServiceUrl)]);
        }
    }
}

/// <summary>The attributes of <see cref="AwsOptions"/>, checked by generated code; the key pair and URL rules are its own.</summary>
[OptionsValidator]
internal sealed partial class AwsOptionsValidator : IValidateOptions<AwsOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<AwsOptions>.Validate(string? name, AwsOptions options) => Validate(AwsOptions.SectionName, options);
}
