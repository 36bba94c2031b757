namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// How loud an alert is: the tag the webhook, the delivery log and the page carry, and what drives reminders and
/// escalation. Not the colour: see <see cref="AlertLook"/>.
/// </summary>
internal enum AlertSeverity
{
    Critical,
    Warning,
    Resolved,
}

/// <summary>
/// What the header shows before a word is read: its colour and emoji. A failure looks like its severity; a partial
/// failure always looks orange with ⚠️ (the seed's rule), even when its severity is critical.
/// </summary>
internal enum AlertLook
{
    /// <summary>Red, 🚨.</summary>
    Failure,

    /// <summary>Orange, ⚠️.</summary>
    Warning,

    /// <summary>Green, ✅.</summary>
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
/// <param name="Severity">The tag (webhook <c>severity</c>, delivery log, page badge); never the colour.</param>
/// <param name="Look">The header's colour and emoji.</param>
internal sealed record AlertContent(
    AlertSeverity Severity,
    AlertLook Look,
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
/// <param name="RunbookUrl">The published runbook (<c>Notifications:RunbookUrl</c>), linked as the last troubleshooting step; null names the repository's file.</param>
internal sealed record RenderContext(string? TraceId, Uri OperationsPageUrl, IReadOnlyList<string>? Notes = null, Uri? RunbookUrl = null);
