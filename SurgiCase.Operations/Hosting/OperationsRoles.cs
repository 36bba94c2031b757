using System.Security.Claims;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// The page's two roles. A <see cref="Viewer"/> reads the page and the history; an <see cref="Operator"/> also runs jobs now,
/// pauses and resumes them, acknowledges alerts and replays dead letters. The identity provider's role or group claim is
/// mapped onto them (<see cref="OperationsOidcOptions.RoleClaim"/>); the break-glass key is an operator.
/// </summary>
public static class OperationsRoles
{
    public const string Operator = "operator";
    public const string Viewer = "viewer";

    /// <summary>The page's roles for the values of the configured role claim: operator wins, nothing maps to nothing.</summary>
    public static IReadOnlyList<string> Map(IEnumerable<string> claimValues, OperationsOidcOptions oidc)
    {
        var values = claimValues.SelectMany(value => value.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        if (OperationsOidcOptions.Split(oidc.OperatorValues, ',').Any(values.Contains))
        {
            return [Operator, Viewer];
        }

        return OperationsOidcOptions.Split(oidc.ViewerValues, ',').Any(values.Contains) ? [Viewer] : [];
    }

    /// <summary>The display name from the configured claim, else <c>preferred_username</c>, <c>email</c>, the subject.</summary>
    public static string DisplayName(ClaimsPrincipal user, OperationsOidcOptions oidc, string subject) =>
        new[] { oidc.NameClaim, "preferred_username", "email" }
            .Select(type => user.FindFirst(type)?.Value)
            .FirstOrDefault(value => !string.IsNullOrWhiteSpace(value)) ?? subject;
}
