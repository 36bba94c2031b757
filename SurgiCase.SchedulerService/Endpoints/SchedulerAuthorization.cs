using Microsoft.AspNetCore.Authorization;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>
/// Who may call what, beyond <c>AddApiDefaults</c> (its operator policy guards the JSON API's changes) and
/// <c>AddOperations</c> (the page's cookie policy): the JSON API wants an API key, and nothing but the health probes
/// answers without a caller.
/// </summary>
internal static class SchedulerAuthorization
{
    /// <summary>The JSON API: API key only, so a browser's page cookie can never drive it without an antiforgery token.</summary>
    public const string ApiPolicy = "api-key";

    public static void AddSchedulerAuthorization(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            // Whatever is mapped without a policy of its own (now or later) still needs a caller, by the default scheme
            // (API key or the page's cookie); only the probes that orchestrators call without credentials are let through.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder()
                .RequireAssertion(context => context.User.Identity?.IsAuthenticated == true || IsHealthProbe(context.Resource))
                .Build());

    private static bool IsHealthProbe(object? resource) =>
        resource is HttpContext http
        && (http.Request.Path.Equals(ServiceDefaultsExtensions.HealthEndpointPath, StringComparison.OrdinalIgnoreCase)
            || http.Request.Path.Equals(ServiceDefaultsExtensions.AlivenessEndpointPath, StringComparison.OrdinalIgnoreCase));
}
