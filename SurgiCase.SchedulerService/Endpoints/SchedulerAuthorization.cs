using Microsoft.AspNetCore.Authorization;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>
/// Who may call what: the JSON API wants an API key, its changes the operator's; the operations page (its own cookie
/// policy) is added by <c>AddOperations</c>. Nothing but the health probes answers without a caller.
/// </summary>
internal static class SchedulerAuthorization
{
    /// <summary>The JSON API: API key only.</summary>
    public const string ApiPolicy = "api-key";

    /// <summary>Run now, pause, resume: the operator's key.</summary>
    public const string OperatorPolicy = "operator";

    public static void AddSchedulerAuthorization(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser())
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireUserName("operator"))
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
