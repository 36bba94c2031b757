using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Components.Pages;
using SurgiCase.Operations.Hosting;

namespace SurgiCase.Operations.Endpoints;

/// <summary>Sign-in with the operator key (exchanged for the session cookie) and sign-out.</summary>
internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder page)
    {
        var open = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        open.MapGet(OperationsRoutes.SignIn, ShowSignIn);
        open.MapPost(OperationsRoutes.SignIn, SignInAsync).RequireRateLimiting(SignInRateLimit.PolicyName);
        page.MapPost(OperationsRoutes.SignOut, SignOutAsync);
    }

    private static Results<RedirectHttpResult, RazorComponentResult> ShowSignIn([AsParameters] PageRequest request, string? returnUrl)
    {
        var back = OperationsRoutes.LocalOrOverview(returnUrl);
        var identity = request.Http.User.Identity;
        return identity?.IsAuthenticated == true && identity.AuthenticationType == OperationsAuthentication.CookieScheme
            ? TypedResults.LocalRedirect(back)
            : Render(request, back, null);
    }

    private static async Task<Results<RedirectHttpResult, RazorComponentResult, ProblemHttpResult>> SignInAsync([AsParameters] PageRequest request,
        IOptionsMonitor<ApiKeyAuthenticationOptions> keys, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints).FullName!);
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
            return Render(request, back, "That is not the operator key.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(OperationsAuthentication.CookieScheme, OperatorSession.Principal(time.GetUtcNow(), keyVersion));
        OperationsLog.SignedIn(logger, remoteIp);
        return TypedResults.LocalRedirect(back);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SignOutAsync([AsParameters] PageRequest request, ILoggerFactory loggers)
    {
        if (await request.RejectWithoutAntiforgeryAsync(loggers.CreateLogger(typeof(SignInEndpoints).FullName!)) is { } rejected)
        {
            return rejected;
        }

        await request.Http.SignOutAsync(OperationsAuthentication.CookieScheme);
        return TypedResults.Redirect(OperationsRoutes.SignIn);
    }

    private static RazorComponentResult Render(PageRequest request, string returnUrl, string? error, int statusCode = StatusCodes.Status200OK) =>
        request.Render<SignInPage>(new Dictionary<string, object?>
        {
            [nameof(SignInPage.Page)] = request.Context(),
            [nameof(SignInPage.ReturnUrl)] = returnUrl,
            [nameof(SignInPage.Error)] = error,
        }, statusCode);
}
