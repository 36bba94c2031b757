using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// A person signs in by single sign-on (<see cref="OidcSignIn"/>), or with the operator key when break-glass is on, and
/// the page carries an HttpOnly, SameSite=Lax cookie (<c>__Host-</c> prefixed outside Development); scripts keep sending
/// <c>X-Api-Key</c> to the host's JSON API. The default scheme picks one of the two per request.
/// </summary>
public static class OperationsAuthentication
{
    public const string CookieScheme = "OperatorCookie";

    /// <summary>Default scheme: the API key when the header is there, else the cookie.</summary>
    public const string SelectorScheme = "ApiKeyOrCookie";

    /// <summary>The page: a cookie of a viewer or an operator.</summary>
    public const string PagePolicy = "operations-page";

    /// <summary>The page's actions (run now, pause, resume, acknowledge, replay): a cookie of an operator.</summary>
    public const string OperatorPolicy = "operations-page-operator";

    /// <summary>The session cookie's name: <c>__Host-</c> prefixed when cookies are secure (bound to this host, path /).</summary>
    public static string CookieName(bool secureCookies) => secureCookies ? "__Host-surgicase-operations" : "surgicase-operations";

    /// <summary>The antiforgery cookie's name, prefixed as <see cref="CookieName"/>.</summary>
    public static string AntiforgeryCookieName(bool secureCookies) => secureCookies ? "__Host-surgicase-operations-af" : "surgicase-operations-af";

    /// <param name="secureCookies">Secure-only cookies; off only in Development, which serves plain http on localhost.</param>
    internal static void Add(IServiceCollection services, bool secureCookies, OperationsOidcOptions oidc, bool development)
    {
        var authentication = services.AddAuthentication(options => options.DefaultScheme = SelectorScheme);
        if (oidc.Enabled)
        {
            OidcSignIn.Add(authentication, oidc, development, secureCookies);
        }

        authentication
            .AddPolicyScheme(SelectorScheme, "API key or operator sign-in", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = CookieName(secureCookies);
                options.Cookie.Path = "/";
                options.Cookie.HttpOnly = true;
                // Lax, not Strict: the way back from the identity provider is a cross-site redirect chain, on which a
                // Strict cookie would not be sent, so the first page after signing in would send the person round again.
                // Every change is a POST with an antiforgery token, which a Lax cookie is never sent with cross-site.
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = SecurePolicy(secureCookies);
                options.LoginPath = OperationsRoutes.SignIn;
                options.LogoutPath = OperationsRoutes.SignOut;
                options.AccessDeniedPath = OperationsRoutes.SignIn;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = OperatorSession.ValidateAsync;
                options.Events.OnRedirectToLogin = RedirectPagesElseProblem(StatusCodes.Status401Unauthorized, "Authentication required",
                    $"Send a valid API key in the {ApiKeyAuthenticationHandler.HeaderName} header, or sign in at {OperationsRoutes.SignIn}.");
                // Signed in but without the role: 403 for pages too (a redirect to sign-in would go round in circles).
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Results.Problem(title: "Forbidden", detail: "Your role may not do this: it needs the operator role.",
                        statusCode: StatusCodes.Status403Forbidden).ExecuteAsync(context.HttpContext);
                };
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<OperationsOptions>, TimeProvider>((cookie, operations, time) =>
            {
                cookie.ExpireTimeSpan = operations.Value.SessionLifetime;
                cookie.TimeProvider = time;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser()
                .RequireRole(OperationsRoles.Viewer, OperationsRoles.Operator))
            .AddPolicy(OperatorPolicy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser()
                .RequireRole(OperationsRoles.Operator));
    }

    /// <summary>
    /// Always outside Development: a session cookie must never travel over plain http, whatever the request came in as
    /// (behind a TLS-terminating proxy the request must be marked https by forwarded headers).
    /// </summary>
    internal static CookieSecurePolicy SecurePolicy(bool secureCookies) =>
        secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    // A browser asking for a page goes to the sign-in form; anything else gets problem details it can act on.
    private static Func<RedirectContext<CookieAuthenticationOptions>, Task> RedirectPagesElseProblem(int status, string title, string detail) =>
        context =>
        {
            if (OperationsRoutes.IsPage(context.Request.Path))
            {
                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            }

            context.Response.StatusCode = status;
            return Results.Problem(title: title, detail: detail, statusCode: status).ExecuteAsync(context.HttpContext);
        };
}
