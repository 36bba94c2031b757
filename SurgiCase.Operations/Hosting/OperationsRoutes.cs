using Microsoft.AspNetCore.Http.HttpResults;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// The page's paths. Page routes live under <c>/ops</c> (besides <c>/</c>) so they never collide with the JSON API's
/// <c>/jobs</c> and <c>/runs</c>, and so an unauthenticated request can tell a browser (redirect) from a script (401).
/// </summary>
internal static class OperationsRoutes
{
    public const string Overview = "/";
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";
    public const string Prefix = "/ops";
    public const string Assets = "/ops/assets";

    /// <summary>An emailed acknowledge link: <c>{Notifications:OperationsPageUrl}ack/{token}</c>, open without sign-in.</summary>
    public const string AcknowledgeLinkPrefix = "/ack";

    public static string Job(string jobId) => $"{Prefix}/jobs/{Uri.EscapeDataString(jobId)}";

    public static string JobAction(string jobId, string action) => $"{Job(jobId)}/{action}";

    /// <summary>Every failed item of a run as a text download (the page lists the first few).</summary>
    public static string FailedItems(string runId) => $"{Prefix}/runs/{Uri.EscapeDataString(runId)}/failed-items.txt";

    public static string AlertPreview(long id) => $"{Prefix}/alerts/{id}/preview";

    public static string AlertPreviewContent(long id) => $"{AlertPreview(id)}/content";

    public static string AlertAcknowledge(long id) => $"{Prefix}/alerts/{id}/acknowledge";

    /// <summary>The alerts panel's "Send test alert" button.</summary>
    public const string TestAlert = Prefix + "/alerts/test";

    public const string DeadLettersReplayAll = Prefix + "/dead-letters/replay-all";

    public static string DeadLetterReplay(string messageId) => $"{Prefix}/dead-letters/{Uri.EscapeDataString(messageId)}/replay";

    public static string AcknowledgeLink(string token) => $"{AcknowledgeLinkPrefix}/{Uri.EscapeDataString(token)}";

    public static bool IsPage(PathString path) =>
        path == Overview || path.StartsWithSegments(Prefix) || path.StartsWithSegments(SignIn) || path.StartsWithSegments(SignOut);

    /// <summary>
    /// Only paths of this site, by the framework's own check (<c>Url.IsLocalUrl</c>): never <c>//host</c>, <c>/\host</c>,
    /// an absolute URL, or a path with control characters (<c>/\t/host</c>, which browsers strip into <c>//host</c>).
    /// Follow the result with <c>Results.LocalRedirect</c>, which checks again.
    /// </summary>
    public static string LocalOrOverview(string? returnUrl) =>
        RedirectHttpResult.IsLocalUrl(returnUrl) ? returnUrl! : Overview;
}
