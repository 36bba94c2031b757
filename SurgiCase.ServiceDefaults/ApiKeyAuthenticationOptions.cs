using Microsoft.AspNetCore.Authentication;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Callers that may use a service's protected endpoints, each with its own key:
/// <c>Authentication:ApiKeys:{caller} = key</c>. Keys come from Aspire secret parameters locally and
/// from the deployment's secret store elsewhere; they are never logged, and only their digests are kept.
/// </summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public const string SectionName = "Authentication:ApiKeys";

    /// <summary>The configured keys as digests (<see cref="ApiKeyRing"/>).</summary>
    public ApiKeyRing Keys { get; internal set; } = ApiKeyRing.Empty;
}
