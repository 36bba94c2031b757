using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How every SurgiCase service exposes an API: errors as RFC 9457 problem details (thrown exceptions and bare status
/// codes included), callers authenticated by <c>X-Api-Key</c>, and one policy for what only people may do.
/// </summary>
public static class ApiDefaultsExtensions
{
    /// <summary>The policy of operator-only endpoints: the caller must be <see cref="OperatorCaller"/>.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>The caller name (<c>Authentication:ApiKeys:operator</c>) the operators' key authenticates as.</summary>
    public const string OperatorCaller = "operator";

    /// <param name="apiKeys">
    /// False for a local stand-in that has no callers (the API simulator, the AWS fault proxy): no authentication is
    /// added, and none is required. Otherwise at least one caller must be configured under
    /// <c>Authentication:ApiKeys</c>, else start-up fails naming the key.
    /// </param>
    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder, bool apiKeys = true) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        if (!apiKeys)
        {
            return builder;
        }

        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                options.Keys = new ApiKeyRing(builder.Configuration.GetSection(ApiKeyAuthenticationOptions.SectionName).GetChildren()
                    .Select(child => KeyValuePair.Create(child.Key, child.Value ?? ""))));
        builder.Services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationHandler.SchemeName)
            .Validate(o => o.Keys.Count > 0, $"No API keys are configured: set {ApiKeyAuthenticationOptions.SectionName}:<caller> to a key for each caller.")
            .ValidateOnStart();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireUserName(OperatorCaller));
        return builder;
    }

    /// <summary>The middleware of <see cref="AddApiDefaults{TBuilder}"/>; call it before mapping any endpoint.</summary>
    public static WebApplication UseApiDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is not null)
        {
            app.UseAuthentication();
            app.UseAuthorization();
        }

        return app;
    }
}
