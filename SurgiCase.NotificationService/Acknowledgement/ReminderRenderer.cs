using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>Which follow-up of an alert this is: reminder <see cref="Number"/> of <see cref="Max"/>, or the escalation after them.</summary>
internal sealed record ReminderTurn(int Number, int Max, bool Escalation);

/// <summary>
/// A reminder or escalation as an <see cref="AlertContent"/>, rendered by <see cref="EmailRenderer"/> like every other
/// alert (so every string is escaped by the same writers, and nothing is spliced into stored HTML): its title (subject
/// and headline), what it asks of the reader, the recipients note, a fresh acknowledge link, and the alert as it was
/// first emailed (the delivery log's text part of it).
/// </summary>
internal static class ReminderRenderer
{
    public const string ReminderSubjectPrefix = "Reminder";
    public const string EscalationSubjectPrefix = "Escalation: not acknowledged";
    public const string FirstEmailSectionTitle = "The alert as first emailed";

    /// <param name="context">The trace id, the operations page, and notes (why the escalation went where it went).</param>
    public static AlertContent Describe(DueReminder alert, ReminderTurn turn, Uri acknowledgeUrl, RenderContext context, DateTimeOffset now)
    {
        var (number, max) = (turn.Number, turn.Max);
        var subject = turn.Escalation
            ? $"{EscalationSubjectPrefix} - {alert.Subject}"
            : $"{ReminderSubjectPrefix} {number} of {max}: {alert.Subject}";
        var headline = turn.Escalation ? "Escalation: critical alert not acknowledged" : $"Reminder {number} of {max}: critical alert not acknowledged";
        var line = turn.Escalation
            ? $"Escalated: nobody acknowledged this critical alert after {max} reminder(s) to {string.Join(", ", alert.Recipients)}."
            : $"Reminder {number} of {max}: this critical alert has not been acknowledged yet. After {max} reminder(s) it escalates.";

        var sections = new List<AlertSection> { new(turn.Escalation ? "Escalated" : "Not acknowledged", Paragraph: line, Highlight: true) };
        if (alert.Text.Length > 0)
        {
            sections.Add(new AlertSection(FirstEmailSectionTitle, Preformatted: alert.Text));
        }

        return new AlertContent(
            AlertSeverity.Critical,
            AlertLook.Failure,
            EmailRenderer.SingleLine(subject),
            headline,
            alert.JobName,
            EmailRenderer.Utc(now),
            context.Notes ?? [],
            sections,
            RunId: "-",
            string.IsNullOrEmpty(context.TraceId) ? "(none)" : context.TraceId,
            context.OperationsPageUrl,
            acknowledgeUrl);
    }
}
