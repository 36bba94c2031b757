using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SurgiCase.IdentityProvider.Endpoints;

/// <summary>
/// The two endpoints OpenIddict passes through: authorize (sign in at the form first, then a code for the person) and
/// end-session. The token endpoint is OpenIddict's own: it exchanges the code (with the PKCE verifier) for the tokens.
/// </summary>
internal static class AuthorizationEndpoints
{
    public const string Authorize = "connect/authorize";
    public const string Token = "connect/token";
    public const string EndSession = "connect/endsession";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapMethods("/" + Authorize, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync);
        app.MapMethods("/" + EndSession, [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, IOptionsMonitor<IdentityProviderOptions> options, ILoggerFactory loggers)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        var signedIn = await http.AuthenticateAsync(IdentityProviderExtensions.CookieScheme);
        var userName = signedIn.Principal?.Identity?.Name;
        if (!signedIn.Succeeded || userName is null || !options.CurrentValue.People.TryGetValue(userName, out var person))
        {
            var query = http.Request.HasFormContentType ? QueryString.Create(http.Request.Form) : http.Request.QueryString;
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + query },
                [IdentityProviderExtensions.CookieScheme]);
        }

        var principal = new ClaimsPrincipal(Identity(userName, person, request.GetScopes()));
        IdentityProviderLog.CodeIssued(loggers.CreateLogger(typeof(AuthorizationEndpoints).FullName!), request.ClientId, userName);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>What the id_token says of a person: subject (the user name), display name, email and roles.</summary>
    internal static ClaimsIdentity Identity(string userName, Person person, ImmutableArray<string> scopes)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, userName).SetClaim(Claims.Name, person.Name).SetClaim(Claims.Email, person.Email)
            .SetClaims(Claims.Role, [.. person.Roles]);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.Email or Claims.Role
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return identity;
    }

    private static async Task<IResult> EndSessionAsync(HttpContext http)
    {
        await http.SignOutAsync(IdentityProviderExtensions.CookieScheme);
        // Back to the client's post_logout_redirect_uri when it sent a registered one.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }
}
