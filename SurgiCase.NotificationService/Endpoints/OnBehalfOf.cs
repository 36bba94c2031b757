using System.Security.Claims;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Endpoints;

/// <summary>
/// Who to record for an action (issue 18): the operations page's caller acts for its signed-in person, whom it names in
/// the body's <c>by</c> ("Name [subject]"); an operator's own key is recorded as itself.
/// </summary>
internal static class OnBehalfOf
{
    private const int MaxNameLength = 100;

    /// <summary>"Name [subject] (operations page)", or "operator (API)".</summary>
    public static string Actor(ClaimsPrincipal user, ByRequest? request)
    {
        var caller = user.Identity?.Name ?? "unknown";
        return caller == ApiCallers.OperationsPage ? $"{Clean(request?.By) ?? "unknown"} (operations page)" : $"{caller} (API)";
    }

    /// <summary>A name to record: one line, capped; null for none.</summary>
    public static string? Clean(string? name)
    {
        var line = string.IsNullOrWhiteSpace(name) ? null : EmailRenderer.SingleLine(name);
        return line is { Length: > MaxNameLength } ? line[..MaxNameLength] : line;
    }
}

/// <param name="By">The person the operations page acts for; ignored from any other caller.</param>
internal sealed record ByRequest(string? By);
