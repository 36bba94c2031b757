using System.Globalization;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>Folded repeats of one job's failure, reported when the storm window closes.</summary>
/// <param name="Summary">"This job failed 7 more times since … without a separate email, last error: …".</param>
internal sealed record AlertDigest(
    string JobId, string JobName, AlertSeverity Severity, string? ErrorKind, int Count, DateTimeOffset? Since, DateTimeOffset LastAt, string? LastError, string Summary);

/// <summary>The digest email: the same header, colours and footer as a failure alert, with the repeats as its body.</summary>
internal static class DigestRenderer
{
    public const string Headline = "Scheduled Job Still Failing";

    public static AlertContent Describe(AlertDigest digest, RenderContext context)
    {
        var prefix = digest.Severity == AlertSeverity.Warning ? EmailRenderer.FailedWarningSubjectPrefix : EmailRenderer.FailedSubjectPrefix;
        var count = digest.Count.ToString(CultureInfo.InvariantCulture);
        var subject = $"{prefix}{EmailRenderer.SingleLine(digest.JobName)} (failed {count} more {(digest.Count == 1 ? "time" : "times")})";
        var rows = new List<KeyValuePair<string, string>>
        {
            new("Job", digest.JobName),
            new("Job ID", digest.JobId),
            new("Error kind", digest.ErrorKind ?? "-"),
            new("Repeats", count),
            new("Since (UTC)", digest.Since is { } since ? EmailRenderer.Utc(since) : "-"),
            new("Last failure (UTC)", EmailRenderer.Utc(digest.LastAt)),
        };

        var sections = new List<AlertSection>
        {
            new("Still failing", Paragraph: digest.Summary + ".", Highlight: true),
            new("Job", Rows: rows),
        };
        if (digest.LastError is { Length: > 0 } error)
        {
            sections.Add(new AlertSection("Last error", Preformatted: error));
        }

        sections.Add(new AlertSection("Next steps", Numbered: true, Items:
        [
            "Open the operations page for the job's runs and their errors.",
            "Each repeat is in the delivery log (status suppressed); a manual run always sends its own alert.",
        ]));

        return new AlertContent(
            digest.Severity, AlertSeverities.LookOf(digest.Severity), subject, Headline, digest.JobName, EmailRenderer.Utc(digest.LastAt), context.Notes ?? [], sections,
            "-", string.IsNullOrEmpty(context.TraceId) ? "(none)" : context.TraceId, context.OperationsPageUrl);
    }
}
