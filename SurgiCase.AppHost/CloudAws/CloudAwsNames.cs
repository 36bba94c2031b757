using Microsoft.Extensions.Configuration;

namespace SurgiCase.AppHost.CloudAws;

/// <summary>
/// The names a deployed stack gave one environment's resources (deploy/SurgiCase.Deploy/ServiceNames.cs and
/// ApplicationSecrets.cs), so Cloud mode reaches that environment's queues, secrets and configuration set and never
/// another's: <c>surgicase-&lt;environment&gt;-job-events</c>, <c>surgicase/&lt;environment&gt;/main</c>, ...
/// </summary>
internal sealed record CloudAwsNames(string Environment)
{
    private string Prefix => $"surgicase-{Environment}";

    public string JobEventsQueue => $"{Prefix}-job-events";

    public string JobEventsDeadLetterQueue => $"{Prefix}-job-events-dlq";

    public string SesConfigurationSet => $"{Prefix}-alerts";

    /// <summary>An application secret in this environment: <c>surgicase/main</c> becomes <c>surgicase/staging/main</c>.</summary>
    public string Secret(string name) =>
        name.StartsWith("surgicase/", StringComparison.Ordinal)
            ? $"surgicase/{Environment}/{name["surgicase/".Length..]}"
            : throw new ArgumentException($"'{name}' is not an application secret (surgicase/...).", nameof(name));

    /// <summary>
    /// SecretsService's secret lists (the names it warms, and each caller's allowed names) from its own
    /// appsettings.json, qualified with the environment; every entry is replaced, so no unqualified name is left.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string>> SecretsServiceLists(IConfiguration secretsServiceSettings)
    {
        var warmed = secretsServiceSettings.GetSection("Secrets:SecretNames").GetChildren()
            .Select(name => KeyValuePair.Create($"Secrets__SecretNames__{name.Key}", Secret(name.Value!)));
        var allowed = secretsServiceSettings.GetSection("Secrets:Callers").GetChildren()
            .SelectMany(caller => caller.GetSection("AllowedSecrets").GetChildren()
                .Select(name => KeyValuePair.Create($"Secrets__Callers__{caller.Key}__AllowedSecrets__{name.Key}", Secret(name.Value!))));
        return warmed.Concat(allowed);
    }
}
