using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// What a session cookie carries: who (stable subject, display name), which roles, how they signed in, when (the session
/// ends <see cref="OperationsOptions.SessionMaxAge"/> later however active it is), its session id (revoked on the server at
/// sign-out) and, for the break-glass key, which version of the key (once that key is rotated out, the session ends).
/// </summary>
internal static class OperatorSession
{
    public const string SignedInAtClaim = "surgicase:signed-in-at";
    public const string KeyVersionClaim = "surgicase:key-version";
    public const string SubjectClaim = "sub";
    public const string SessionIdClaim = "surgicase:sid";
    public const string MethodClaim = "surgicase:sign-in";
    public const string KeyMethod = "break-glass-key";
    public const string OidcMethod = "oidc";

    /// <summary>A session of the break-glass operator key: the <c>operator</c>, with the operator role.</summary>
    public static ClaimsPrincipal Principal(DateTimeOffset signedInAt, string keyVersion) =>
        Principal(ApiDefaultsExtensions.OperatorCaller, ApiDefaultsExtensions.OperatorCaller, [OperationsRoles.Operator], KeyMethod, signedInAt,
            new Claim(KeyVersionClaim, keyVersion));

    public static ClaimsPrincipal Principal(string subject, string displayName, IEnumerable<string> roles, string method, DateTimeOffset signedInAt,
        params Claim[] more)
    {
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, displayName),
            new Claim(SubjectClaim, subject),
            new Claim(MethodClaim, method),
            new Claim(SessionIdClaim, Guid.NewGuid().ToString("N")),
            new Claim(SignedInAtClaim, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        ], OperationsAuthentication.CookieScheme);
        identity.AddClaims(roles.Select(role => new Claim(ClaimTypes.Role, role)));
        identity.AddClaims(more);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// How a person is recorded in run triggers, job actions and acknowledgements: the display name with the stable
    /// subject (<c>Olivia Operator [sub]</c>); the break-glass key as <c>operator</c>.
    /// </summary>
    public static string Actor(ClaimsPrincipal user)
    {
        var name = user.Identity?.Name ?? ApiDefaultsExtensions.OperatorCaller;
        return user.FindFirst(MethodClaim)?.Value == OidcMethod && user.FindFirst(SubjectClaim)?.Value is { } subject
            ? $"{name} [{subject}]"
            : name;
    }

    /// <summary>The operator key's version when <paramref name="presented"/> is the operator's key, else null.</summary>
    public static string? OperatorKeyVersion(IOptionsMonitor<ApiKeyAuthenticationOptions> keys, string? presented) =>
        !string.IsNullOrEmpty(presented)
        && keys.Get(ApiKeyAuthenticationHandler.SchemeName).Keys.Find(presented) is { Caller: ApiDefaultsExtensions.OperatorCaller } match
            ? match.Version
            : null;

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var reason = EndReason(
            context.Principal,
            services.GetRequiredService<TimeProvider>().GetUtcNow(),
            services.GetRequiredService<IOptionsMonitor<OperationsOptions>>().CurrentValue.SessionMaxAge,
            services.GetRequiredService<IOptionsMonitor<ApiKeyAuthenticationOptions>>().Get(ApiKeyAuthenticationHandler.SchemeName).Keys);
        if (reason is null && context.Principal?.FindFirst(SessionIdClaim)?.Value is { } sessionId
            && await services.GetRequiredService<SessionRevocations>().IsRevokedAsync(sessionId, context.HttpContext.RequestAborted))
        {
            reason = "signed out (the session was revoked)";
        }

        if (reason is null)
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(OperationsAuthentication.CookieScheme);
        OperationsLog.SessionEnded(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(OperatorSession).FullName!), reason);
    }

    /// <summary>Why the session must end now, or null while it is good.</summary>
    internal static string? EndReason(ClaimsPrincipal? principal, DateTimeOffset now, TimeSpan maxAge, ApiKeyRing keys)
    {
        if (!long.TryParse(principal?.FindFirst(SignedInAtClaim)?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return "no sign-in time (a cookie from before sessions had one)";
        }

        if (now - DateTimeOffset.FromUnixTimeSeconds(seconds) >= maxAge)
        {
            return "older than Operations:SessionMaxAge";
        }

        if (principal!.FindFirst(SessionIdClaim) is null)
        {
            return "no session id (a cookie from before sessions could be revoked)";
        }

        if (principal.FindFirst(MethodClaim)?.Value == OidcMethod)
        {
            return null;
        }

        return principal.FindFirst(KeyVersionClaim)?.Value is { } version && keys.Holds(ApiDefaultsExtensions.OperatorCaller, version)
            ? null
            : "signed in with an operator key that is no longer configured";
    }
}
