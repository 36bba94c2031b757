using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// The last troubleshooting step of every failure alert: the runbook's section for the alert's error kind
/// (docs/runbook.md). Its headings are the error kinds, so the anchor is the kind in lower case (GitHub's heading ids).
/// </summary>
internal static class Runbook
{
    /// <summary>Where the runbook lives in the repository, named when <c>Notifications:RunbookUrl</c> is not set.</summary>
    public const string RepositoryPath = "docs/runbook.md";

    public const string PartialFailureAnchor = "partial-failure";

    private static readonly HashSet<string> KindsWithSection = new(StringComparer.Ordinal)
    {
        ErrorKinds.HttpStatus, ErrorKinds.Redirected, ErrorKinds.Timeout, ErrorKinds.ConnectionFailed,
        ErrorKinds.MissedRun, ErrorKinds.SecretsUnavailable, ErrorKinds.Unexpected,
    };

    public static string AnchorFor(IJobEvent jobEvent) => jobEvent switch
    {
        JobPartiallyFailed => PartialFailureAnchor,
        JobFailed { ErrorKind: var kind } when KindsWithSection.Contains(kind) => kind.ToLowerInvariant(),
        _ => ErrorKinds.Unexpected.ToLowerInvariant(),
    };

    /// <param name="runbookUrl">The published runbook (<c>Notifications:RunbookUrl</c>); null names the repository's file.</param>
    public static string Step(Uri? runbookUrl, string anchor) => runbookUrl is null
        ? $"Runbook: {RepositoryPath}#{anchor} in the SurgiCase repository."
        : $"Runbook: {new UriBuilder(runbookUrl) { Fragment = anchor }.Uri.AbsoluteUri}";
}
