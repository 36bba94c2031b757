using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// How every SurgiCase service exposes an API: errors as RFC 9457 problem details (thrown exceptions and bare status
/// codes included), callers authenticated by <c>X-Api-Key</c> (several keys per caller while one is rotated), and the
/// policies of <see cref="ApiPolicies"/>.
/// </summary>
public static class ApiDefaultsExtensions
{
    /// <summary>The policy of operator-only endpoints: <see cref="ApiPolicies.Operator"/>.</summary>
    public const string OperatorPolicy = ApiPolicies.Operator;

    /// <summary>The caller name (<c>Authentication:ApiKeys:operator</c>) the operators' key authenticates as.</summary>
    public const string OperatorCaller = ApiCallers.Operator;

    /// <param name="apiKeys">
    /// False for a local stand-in that has no callers (the API simulator, the AWS fault proxy): no authentication is
    /// added, and none is required. Otherwise at least one caller must be configured under
    /// <c>Authentication:ApiKeys</c>, each at least 32 characters long, else start-up fails naming the key.
    /// </param>
    public static TBuilder AddApiDefaults<TBuilder>(this TBuilder builder, bool apiKeys = true) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        if (!apiKeys)
        {
            return builder;
        }

        // Read when the options are built, and rebuilt when the configuration reports a change (a reloaded file, a
        // provider that polls): a new key can be added beside the old one and the old one removed without a restart.
        var keys = builder.Configuration.GetSection(ApiKeyAuthenticationOptions.SectionName);
        builder.Services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<ApiKeyAuthenticationOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, options =>
                options.Keys = ApiKeyRing.From(keys));
        builder.Services.AddSingleton<IOptionsChangeTokenSource<ApiKeyAuthenticationOptions>>(
            new ConfigurationChangeTokenSource<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationHandler.SchemeName, keys));
        builder.Services.AddOptions<ApiKeyAuthenticationOptions>(ApiKeyAuthenticationHandler.SchemeName)
            .Validate(o => o.Keys.Count > 0, $"No API keys are configured: set {ApiKeyAuthenticationOptions.SectionName}:<caller> to a key for each caller.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ApiKeyAuthenticationOptions>, ApiKeyLength>();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicies.Operator, policy => policy.RequireAuthenticatedUser().RequireUserName(ApiCallers.Operator))
            .AddPolicy(ApiPolicies.ReadOnly, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => IsOperatorOrPage(context.User)))
            .AddPolicy(ApiPolicies.Acknowledge, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => IsOperatorOrPage(context.User)))
            .AddPolicy(ApiPolicies.SendTestAlert, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => IsOperatorOrPage(context.User)))
            .AddPolicy(ApiPolicies.ReplayDeadLetters, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => IsOperatorOrPage(context.User)));
        return builder;
    }

    private static bool IsOperatorOrPage(ClaimsPrincipal user) => user.Identity?.Name is ApiCallers.Operator or ApiCallers.OperationsPage;

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
