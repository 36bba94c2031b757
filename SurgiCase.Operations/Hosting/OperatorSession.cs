using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// What a session cookie carries besides the operator's name, and the check each request makes on it: when the
/// person signed in (the session ends <see cref="OperationsOptions.SessionMaxAge"/> later however active it is) and
/// which version of the operator key they signed in with (once that key is rotated out, the session ends).
/// </summary>
internal static class OperatorSession
{
    public const string SignedInAtClaim = "surgicase:signed-in-at";
    public const string KeyVersionClaim = "surgicase:key-version";

    public static ClaimsPrincipal Principal(DateTimeOffset signedInAt, string keyVersion) =>
        new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, ApiDefaultsExtensions.OperatorCaller),
            new Claim(SignedInAtClaim, signedInAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
            new Claim(KeyVersionClaim, keyVersion),
        ], OperationsAuthentication.CookieScheme));

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

        return principal!.FindFirst(KeyVersionClaim)?.Value is { } version && keys.Holds(ApiDefaultsExtensions.OperatorCaller, version)
            ? null
            : "signed in with an operator key that is no longer configured";
    }
}
