using System.ComponentModel.DataAnnotations;

namespace SurgiCase.Aws;

/// <summary>
/// Where AWS is and who we are to it. Bound from the <c>Aws</c> configuration section.
/// Credentials come from the standard AWSSDK.Core chain (environment, profile, instance role)
/// unless <see cref="AccessKeyId"/> and <see cref="SecretAccessKey"/> are both set.
/// </summary>
public sealed class AwsOptions
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
}
