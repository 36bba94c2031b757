using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Aws;

/// <summary>SES v2 sending settings. Bound from the <c>Aws:Ses</c> configuration section.</summary>
public sealed class SesOptions
{
    public const string SectionName = "Aws:Ses";

    /// <summary>
    /// The configuration set every email is sent with (its sending, bounce and complaint metrics; the deployment
    /// grants ses:SendEmail on the identity and this set). Null sends without one, as against a local AWS.
    /// </summary>
    // SES's own rule for the name; a typo otherwise surfaces only as a rejected send at the first alert.
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$", ErrorMessage = "Aws:Ses:ConfigurationSetName must be 1-64 letters, digits, '-' or '_'.")]
    public string? ConfigurationSetName { get; set; }
}

/// <summary>The attributes of <see cref="SesOptions"/>, checked by generated code.</summary>
[OptionsValidator]
internal sealed partial class SesOptionsValidator : IValidateOptions<SesOptions>
{
    ValidateOptionsResult IValidateOptions<SesOptions>.Validate(string? name, SesOptions options) => Validate(SesOptions.SectionName, options);
}
