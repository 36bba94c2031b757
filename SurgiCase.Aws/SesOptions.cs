namespace SurgiCase.Aws;

/// <summary>SES v2 sending settings. Bound from the <c>Aws:Ses</c> configuration section.</summary>
public sealed class SesOptions
{
    public const string SectionName = "Aws:Ses";

    /// <summary>
    /// The configuration set every email is sent with (its sending, bounce and complaint metrics; the deployment
    /// grants ses:SendEmail on the identity and this set). Null sends without one, as against a local AWS.
    /// </summary>
    public string? ConfigurationSetName { get; set; }
}
