using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// A person signs in once with the operator key and the page carries an HttpOnly, SameSite=Strict cookie; scripts keep
/// sending <c>X-Api-Key</c> to the host's JSON API. The default scheme picks one of the two per request.
/// </summary>
public static class OperationsAuthentication
{
    public const string CookieScheme = "OperatorCookie";

    /// <summary>Default scheme: the API key when the header is there, else the cookie.</summary>
    public const string SelectorScheme = "ApiKeyOrCookie";

    /// <summary>The page: the operator's cookie only.</summary>
    public const string PagePolicy = "operations-page";

    /// <param name="secureCookies">Secure-only cookies; off only in Development, which serves plain http on localhost.</param>
    internal static void Add(IServiceCollection services, bool secureCookies)
    {
        services.AddAuthentication(options => options.DefaultScheme = SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API key or operator sign-in", options =>
                options.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                        ? ApiKeyAuthenticationHandler.SchemeName
                        : CookieScheme)
            .AddCookie(CookieScheme, options =>
            {
                options.Cookie.Name = "surgicase-operations";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.SecurePolicy = SecurePolicy(secureCookies);
                options.LoginPath = OperationsRoutes.SignIn;
                options.LogoutPath = OperationsRoutes.SignOut;
                options.AccessDeniedPath = OperationsRoutes.SignIn;
                options.SlidingExpiration = true;
                options.Events.OnValidatePrincipal = OperatorSession.ValidateAsync;
                options.Events.OnRedirectToLogin = RedirectPagesElseProblem(StatusCodes.Status401Unauthorized, "Authentication required",
                    $"Send a valid API key in the {ApiKeyAuthenticationHandler.HeaderName} header, or sign in at {OperationsRoutes.SignIn}.");
                options.Events.OnRedirectToAccessDenied = RedirectPagesElseProblem(StatusCodes.Status403Forbidden, "Forbidden",
                    "This identity may not use this endpoint.");
            });
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme)
            .Configure<IOptions<OperationsOptions>, TimeProvider>((cookie, operations, time) =>
            {
                cookie.ExpireTimeSpan = operations.Value.SessionLifetime;
                cookie.TimeProvider = time;
            });

        services.AddAuthorizationBuilder()
            .AddPolicy(PagePolicy, policy => policy.AddAuthenticationSchemes(CookieScheme).RequireAuthenticatedUser().RequireUserName(ApiDefaultsExtensions.OperatorCaller));
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
