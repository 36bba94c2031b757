using Microsoft.Extensions.Configuration;

namespace SurgiCase.AppHost.CloudAws;

/// <summary>
/// <c>--Aws:Mode=Cloud</c>: the services run locally against the real AWS account of the developer's profile (the
/// queues, secrets and SES identity a deployed stack created), with no moto and no fault proxy. Settings:
/// <c>Aws:Environment</c> (required: the stack's environment, whose names the services are given), <c>Aws:Region</c>
/// (required, or <c>AWS_REGION</c>), <c>Aws:Profile</c> (else the default credential chain),
/// <c>Notifications:Sender</c> (required: a verified SES identity), <c>Aws:Ses:ConfigurationSetName</c> (optional:
/// else the environment's, <c>surgicase-&lt;environment&gt;-alerts</c>), and <c>SurgiCaseApi:BaseAddress</c>
/// (optional: without it the API simulator stands in, accepting any key).
/// </summary>
internal sealed record CloudAwsSettings(CloudAwsNames Names, string Region, string? Profile, string Sender, string ConfigurationSet, Uri? SurgiCaseApi)
{
    public const string ModeKey = "Aws:Mode";
    public const string CloudMode = "Cloud";

    public static bool IsSelected(IConfiguration configuration) =>
        string.Equals(configuration[ModeKey], CloudMode, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Null settings for the local AWS (the default, or <c>Aws:Mode=Local</c>); the cloud settings; or the one-line
    /// problem naming the key that is missing or wrong.
    /// </summary>
    /// <param name="environmentVariable">Reads <c>AWS_REGION</c>; the process environment unless a test says otherwise.</param>
    public static (CloudAwsSettings? Settings, string? Problem) Read(IConfiguration configuration, Func<string, string?>? environmentVariable = null)
    {
        environmentVariable ??= Environment.GetEnvironmentVariable;
        var mode = configuration[ModeKey];
        if (string.IsNullOrEmpty(mode) || string.Equals(mode, "Local", StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        if (!IsSelected(configuration))
        {
            return (null, $"{ModeKey} must be Local or Cloud, not '{mode}'.");
        }

        var environment = Value(configuration, "Aws:Environment");
        if (environment is null || !environment.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return (null, environment is null
                ? "Aws:Environment is required with --Aws:Mode=Cloud: the deployed stack's environment (e.g. staging), whose queues, secrets and configuration set the services use."
                : $"Aws:Environment '{environment}' may hold letters, digits and '-' only, as the stack's environment does.");
        }

        var region = Value(configuration, "Aws:Region") ?? NonEmpty(environmentVariable("AWS_REGION"));
        if (region is null)
        {
            return (null, "Aws:Region is required with --Aws:Mode=Cloud (or set AWS_REGION): the region the stack is deployed in.");
        }

        var sender = Value(configuration, "Notifications:Sender");
        if (sender is null)
        {
            return (null, "Notifications:Sender is required with --Aws:Mode=Cloud: a sender address verified in SES (the stack's senderAddress).");
        }

        Uri? api = null;
        if (Value(configuration, "SurgiCaseApi:BaseAddress") is { } address
            && (!Uri.TryCreate(address, UriKind.Absolute, out api) || api.Scheme is not ("http" or "https")))
        {
            return (null, $"SurgiCaseApi:BaseAddress '{address}' must be an absolute http(s) URL.");
        }

        var names = new CloudAwsNames(environment);
        return (new CloudAwsSettings(names, region, Value(configuration, "Aws:Profile"), sender,
            Value(configuration, "Aws:Ses:ConfigurationSetName") ?? names.SesConfigurationSet, api), null);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? Value(IConfiguration configuration, string key) =>
        string.IsNullOrWhiteSpace(configuration[key]) ? null : configuration[key]!.Trim();
}
