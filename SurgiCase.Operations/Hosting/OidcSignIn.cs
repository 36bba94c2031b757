using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// Single sign-on: authorization code with PKCE against the issuer of <see cref="OperationsOidcOptions"/>. On the way
/// back the id_token's claims become the page's session: subject, display name and the mapped roles; a person with
/// neither role is refused (403) and gets no session.
/// </summary>
internal static class OidcSignIn
{
    public const string Scheme = "OpenIdConnect";
    public const string CallbackPath = "/signin-oidc";

    public static void Add(AuthenticationBuilder authentication, OperationsOidcOptions oidc, bool development, bool secureCookies)
    {
        authentication.AddOpenIdConnect(Scheme, "Single sign-on", options =>
        {
            options.SignInScheme = OperationsAuthentication.CookieScheme;
            options.Authority = oidc.Authority;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            // A top-level GET back from the provider: the correlation and nonce cookies can be SameSite=Lax.
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.Scope.Clear();
            foreach (var scope in OperationsOidcOptions.Split(oidc.Scopes, ' '))
            {
                options.Scope.Add(scope);
            }

            options.MapInboundClaims = false;
            options.SaveTokens = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata ?? !development;
            options.CallbackPath = CallbackPath;
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = OperationsAuthentication.SecurePolicy(secureCookies);
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = OperationsAuthentication.SecurePolicy(secureCookies);
            options.Events.OnTokenValidated = context => TokenValidated(context, oidc);
            options.Events.OnRemoteFailure = RemoteFailure;
        });
    }

    private static Task TokenValidated(TokenValidatedContext context, OperationsOidcOptions oidc)
    {
        var services = context.HttpContext.RequestServices;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn).FullName!);
        var user = context.Principal!;
        var subject = user.FindFirst("sub")?.Value;
        if (string.IsNullOrEmpty(subject))
        {
            context.Fail("The identity provider's id_token has no subject (sub).");
            return Task.CompletedTask;
        }

        var name = OperationsRoles.DisplayName(user, oidc, subject);
        var roles = OperationsRoles.Map(user.FindAll(oidc.RoleClaim).Select(c => c.Value), oidc);
        if (roles.Count == 0)
        {
            OperationsLog.SignInWithoutRole(logger, subject, oidc.RoleClaim);
            context.Fail($"{name} has neither the operator nor the viewer role (claim {oidc.RoleClaim}).");
            return Task.CompletedTask;
        }

        context.Principal = OperatorSession.Principal(subject, name, roles, OperatorSession.OidcMethod, services.GetRequiredService<TimeProvider>().GetUtcNow());
        OperationsLog.SignedInWithOidc(logger, name, subject, string.Join(',', roles));
        return Task.CompletedTask;
    }

    /// <summary>A refused or failed sign-in: 403 with the reason, never the provider's raw error page or a loop.</summary>
    private static Task RemoteFailure(RemoteFailureContext context)
    {
        context.HandleResponse();
        OperationsLog.SignInFailed(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OidcSignIn).FullName!),
            context.Failure?.Message ?? "unknown");
        return Results.Problem(title: "Sign-in refused", detail: context.Failure?.Message, statusCode: StatusCodes.Status403Forbidden)
            .ExecuteAsync(context.HttpContext);
    }
}
