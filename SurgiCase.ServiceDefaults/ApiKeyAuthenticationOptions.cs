using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Callers that may use a service's protected endpoints, each with its own key:
/// <c>Authentication:ApiKeys:{caller} = key</c>. Keys come from Aspire secret parameters locally and
/// from the deployment's secret store elsewhere; they are never logged.
/// </summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public const string SectionName = "Authentication:ApiKeys";

    public Dictionary<string, string> Keys { get; } = new(StringComparer.Ordinal);
}
