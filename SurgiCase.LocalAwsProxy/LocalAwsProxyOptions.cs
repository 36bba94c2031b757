using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.LocalAwsProxy;

/// <summary>Where the real local AWS (moto) is. Bound from <c>LocalAwsProxy</c>.</summary>
internal sealed class LocalAwsProxyOptions
{
    public const string SectionName = "LocalAwsProxy";

    [Required(ErrorMessage = "LocalAwsProxy:Upstream is required: the URL of moto_server, e.g. http://127.0.0.1:4566.")]
    public Uri? Upstream { get; set; }

    /// <summary>
    /// The SNS topic the SES feedback goes to (as a configuration set event destination would send it), where the proxy
    /// publishes the mailbox simulator's feedback; unset: none is published.
    /// </summary>
    [RegularExpression("^arn:aws:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", ErrorMessage = "LocalAwsProxy:SesFeedbackTopicArn must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:surgicase-ses-feedback.")]
    public string? SesFeedbackTopicArn { get; set; }
}

[OptionsValidator]
internal sealed partial class LocalAwsProxyOptionsValidator : IValidateOptions<LocalAwsProxyOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<LocalAwsProxyOptions>.Validate(string? name, LocalAwsProxyOptions options) => Validate(LocalAwsProxyOptions.SectionName, options);
}
