using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace SurgiCase.IdentityProvider.Endpoints;

/// <summary>The login form: user name and password of a seeded person, then back to the authorize request.</summary>
internal static class LoginEndpoints
{
    public const string Path = "/login";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(Path, Show).DisableAntiforgery();
        app.MapPost(Path, SignInAsync);
    }

    private static ContentHttpResult Show(HttpContext http, IAntiforgery antiforgery, string? returnUrl) =>
        Form(http, antiforgery, Local(returnUrl), null, StatusCodes.Status200OK);

    private static async Task<IResult> SignInAsync(HttpContext http, IAntiforgery antiforgery, IOptionsMonitor<IdentityProviderOptions> options,
        ILoggerFactory loggers, [Microsoft.AspNetCore.Mvc.FromForm] LoginForm form)
    {
        var logger = loggers.CreateLogger(typeof(LoginEndpoints).FullName!);
        var returnUrl = Local(form.ReturnUrl);
        var userName = form.UserName?.Trim() ?? "";
        if (!options.CurrentValue.People.TryGetValue(userName, out var person) || !PasswordMatches(person, form.Password))
        {
            IdentityProviderLog.SignInRefused(logger, userName);
            return Form(http, antiforgery, returnUrl, "Unknown user name or wrong password.", StatusCodes.Status401Unauthorized);
        }

        await http.SignInAsync(IdentityProviderExtensions.CookieScheme,
            new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, userName)], IdentityProviderExtensions.CookieScheme)));
        IdentityProviderLog.SignedIn(logger, userName);
        return Results.LocalRedirect(returnUrl);
    }

    internal static bool PasswordMatches(Person person, string? presented) =>
        person.Password.Length > 0 && presented is not null
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(person.Password)), SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    private static string Local(string? returnUrl) => RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : "/";

    private static ContentHttpResult Form(HttpContext http, IAntiforgery antiforgery, string returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        http.Response.Headers.CacheControl = "no-store";
        // No form-action: browsers apply it to the redirects after the post too, and those end at the client's redirect URI.
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";
        var message = error is null ? "" : $"""<p role="alert" style="color:#b00020">{WebUtility.HtmlEncode(error)}</p>""";
        var html = $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Sign in: SurgiCase local identity provider</title></head>
            <body style="font-family:sans-serif;max-width:24rem;margin:4rem auto">
            <h1>SurgiCase local identity provider</h1>
            <p>For local runs only. The people and their passwords come from the AppHost (dotnet user-secrets list --project SurgiCase.AppHost).</p>
            {message}
            <form method="post" action="{Path}">
              <input type="hidden" name="{WebUtility.HtmlEncode(tokens.FormFieldName)}" value="{WebUtility.HtmlEncode(tokens.RequestToken)}">
              <input type="hidden" name="returnUrl" value="{WebUtility.HtmlEncode(returnUrl)}">
              <p><label>User name <input id="username" name="userName" autocomplete="username" required></label></p>
              <p><label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label></p>
              <p><button id="sign-in" type="submit">Sign in</button></p>
            </form>
            </body></html>
            """;
        return TypedResults.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    internal sealed class LoginForm
    {
        public string? UserName { get; set; }

        public string? Password { get; set; }

        public string? ReturnUrl { get; set; }
    }
}
