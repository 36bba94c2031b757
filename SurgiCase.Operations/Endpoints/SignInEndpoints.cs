using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Components.Pages;
using SurgiCase.Operations.Hosting;

namespace SurgiCase.Operations.Endpoints;

/// <summary>
/// Sign-in: single sign-on (<c>/signin/sso</c> starts it) and, when break-glass is on, the operator key exchanged for the
/// session cookie. Sign-out revokes the session on the server.
/// </summary>
internal static class SignInEndpoints
{
    public const string SingleSignOn = OperationsRoutes.SignIn + "/sso";

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder page)
    {
        var open = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        open.MapGet(OperationsRoutes.SignIn, ShowSignIn);
        open.MapPost(OperationsRoutes.SignIn, SignInAsync).RequireRateLimiting(SignInRateLimit.PolicyName);
        open.MapGet(SingleSignOn, StartSingleSignOn);
        page.MapPost(OperationsRoutes.SignOut, SignOutAsync);
    }

    private static Results<RedirectHttpResult, RazorComponentResult> ShowSignIn([AsParameters] PageRequest request, SignInMethods methods, string? returnUrl)
    {
        var back = OperationsRoutes.LocalOrOverview(returnUrl);
        var identity = request.Http.User.Identity;
        if (identity?.IsAuthenticated == true && identity.AuthenticationType == OperationsAuthentication.CookieScheme)
        {
            return TypedResults.LocalRedirect(back);
        }

        // Single sign-on only: straight to the identity provider, as any page would.
        return methods is { SingleSignOn: true, BreakGlassKey: false }
            ? TypedResults.LocalRedirect($"{SingleSignOn}?returnUrl={Uri.EscapeDataString(back)}")
            : Render(request, methods, back, null);
    }

    private static Results<ChallengeHttpResult, ProblemHttpResult> StartSingleSignOn(SignInMethods methods, string? returnUrl) =>
        methods.SingleSignOn
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = OperationsRoutes.LocalOrOverview(returnUrl) }, [OidcSignIn.Scheme])
            : TypedResults.Problem(title: "Single sign-on is off", detail: "Operations:Oidc:Authority is not set.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<RedirectHttpResult, RazorComponentResult, ProblemHttpResult>> SignInAsync([AsParameters] PageRequest request,
        SignInMethods methods, IOptionsMonitor<ApiKeyAuthenticationOptions> keys, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints).FullName!);
        if (!methods.BreakGlassKey)
        {
            return TypedResults.Problem(title: "Key sign-in is off",
                detail: "Signing in with the operator key is a break-glass setting (Operations:BreakGlassKeySignIn); sign in with single sign-on.",
                statusCode: StatusCodes.Status404NotFound);
        }

        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        var http = request.Http;
        var form = await http.Request.ReadFormAsync(ct);
        var back = OperationsRoutes.LocalOrOverview(form["returnUrl"]);
        var remoteIp = http.Connection.RemoteIpAddress?.ToString();
        if (OperatorSession.OperatorKeyVersion(keys, form["key"]) is not { } keyVersion)
        {
            OperationsLog.SignInRejected(logger, remoteIp);
            return Render(request, methods, back, "That is not the operator key.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(OperationsAuthentication.CookieScheme, OperatorSession.Principal(request.Time.GetUtcNow(), keyVersion));
        OperationsLog.SignedIn(logger, remoteIp);
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync([AsParameters] PageRequest request,
        SessionRevocations revocations, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints).FullName!);
        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        // Revoked on the server first: a copy of the cookie (kept by anyone) stops working now, not at its expiry.
        if (request.Http.User.FindFirst(OperatorSession.SessionIdClaim)?.Value is { } sessionId)
        {
            await revocations.RevokeAsync(sessionId, request.Http.RequestAborted);
        }

        OperationsLog.SignedOut(logger, OperatorSession.Actor(request.Http.User));
        await request.Http.SignOutAsync(OperationsAuthentication.CookieScheme);
        return TypedResults.Redirect(OperationsRoutes.SignIn);
    }

    private static RazorComponentResult Render(PageRequest request, SignInMethods methods, string returnUrl, string? error, int statusCode = StatusCodes.Status200OK) =>
        request.Render<SignInPage>(new Dictionary<string, object?>
        {
            [nameof(SignInPage.Page)] = request.Context(),
            [nameof(SignInPage.ReturnUrl)] = returnUrl,
            [nameof(SignInPage.Error)] = error,
            [nameof(SignInPage.SingleSignOnUrl)] = methods.SingleSignOn ? $"{SingleSignOn}?returnUrl={Uri.EscapeDataString(returnUrl)}" : null,
            [nameof(SignInPage.KeySignIn)] = methods.BreakGlassKey,
        }, statusCode);
}

/// <summary>Which ways of signing in are on, from the options and the environment.</summary>
internal sealed class SignInMethods(IOptions<OperationsOptions> options, IOptions<OperationsOidcOptions> oidc, IHostEnvironment environment)
{
    public bool SingleSignOn => oidc.Value.Enabled;

    public bool BreakGlassKey => options.Value.KeyBreakGlass(environment.IsDevelopment(), SingleSignOn);
}
