using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>Sign-in with the operator key (exchanged for the session cookie) and sign-out.</summary>
internal static class SignInEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder page)
    {
        var open = app.MapGroup("").AllowAnonymous().ExcludeFromDescription();
        open.MapGet(OperationsRoutes.SignIn, (HttpContext http, IAntiforgery antiforgery, IOptions<OperationsOptions> options, TimeProvider time,
            string? returnUrl) =>
        {
            var back = OperationsRoutes.LocalOrOverview(returnUrl);
            return http.User.Identity?.IsAuthenticated == true && http.User.Identity.AuthenticationType == OperationsAuthentication.CookieScheme
                ? Results.LocalRedirect(back)
                : OperationsEndpoints.Page(http, SignInPage.Render(OperationsEndpoints.Context(http, antiforgery, options, time), back, null));
        });
        open.MapPost(OperationsRoutes.SignIn, SignInAsync).RequireRateLimiting(SignInRateLimit.PolicyName);
        page.MapPost(OperationsRoutes.SignOut, SignOutAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, IOptionsMonitor<ApiKeyAuthenticationOptions> keys,
        IOptions<OperationsOptions> options, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(SignInEndpoints).FullName!);
        if (await OperationsEndpoints.RejectWithoutAntiforgeryAsync(http, antiforgery, logger) is { } rejected)
        {
            return rejected;
        }

        var form = await http.Request.ReadFormAsync(ct);
        var back = OperationsRoutes.LocalOrOverview(form["returnUrl"]);
        var remoteIp = http.Connection.RemoteIpAddress?.ToString();
        if (!OperationsAuthentication.IsOperatorKey(keys, form["key"]))
        {
            OperationsLog.SignInRejected(logger, remoteIp);
            var page = OperationsEndpoints.Context(http, antiforgery, options, time);
            return OperationsEndpoints.Page(http, SignInPage.Render(page, back, "That is not the operator key."), StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(OperationsAuthentication.CookieScheme, OperationsAuthentication.OperatorPrincipal());
        OperationsLog.SignedIn(logger, remoteIp);
        return Results.LocalRedirect(back);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, ILoggerFactory loggers)
    {
        if (await OperationsEndpoints.RejectWithoutAntiforgeryAsync(http, antiforgery, loggers.CreateLogger(typeof(SignInEndpoints).FullName!)) is { } rejected)
        {
            return rejected;
        }

        await http.SignOutAsync(OperationsAuthentication.CookieScheme);
        return Results.Redirect(OperationsRoutes.SignIn);
    }
}
