namespace SurgiCase.NotificationService.Rendering;

/// <summary>The three kinds of alert, each with its colour and emoji.</summary>
internal enum AlertSeverity
{
    Critical,
    Warning,
    Resolved,
}

/// <summary>
/// One block of an alert. Exactly one of the content members is set; both the HTML and the text writer
/// render the same list of sections, so the two parts always carry the same content.
/// </summary>
internal sealed record AlertSection(
    string Title,
    string? Paragraph = null,
    IReadOnlyList<KeyValuePair<string, string>>? Rows = null,
    IReadOnlyList<string>? Items = null,
    bool Numbered = false,
    string? Preformatted = null,
    bool Highlight = false);

/// <summary>Everything an alert email shows, as plain unescaped text; the writers escape it.</summary>
/// <param name="AcknowledgeUrl">The alert's acknowledge link on the operations page (critical job alerts only; see <c>AcknowledgeLinks</c>).</param>
internal sealed record AlertContent(
    AlertSeverity Severity,
    string Subject,
    string Headline,
    string JobName,
    string OccurredAtUtc,
    IReadOnlyList<string> Notes,
    IReadOnlyList<AlertSection> Sections,
    string RunId,
    string TraceId,
    Uri OperationsPageUrl,
    Uri? AcknowledgeUrl = null);

/// <summary>The finished email parts.</summary>
internal sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// Facts about this delivery that are not in the event: the trace id at handling time, where the
/// operations page is, and notes such as "sent to the fallback recipients".
/// </summary>
internal sealed record RenderContext(string? TraceId, Uri OperationsPageUrl, IReadOnlyList<string>? Notes = null);
