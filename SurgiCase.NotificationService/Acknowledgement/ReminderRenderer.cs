using System.Net;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// A reminder is the alert as it was emailed, with a banner on top that says which reminder it is (or that it is the
/// escalation) and a fresh acknowledge link. The stored HTML is this service's own (<see cref="HtmlEmailWriter"/>), so
/// the banner goes in right after its <c>&lt;body&gt;</c> tag.
/// </summary>
internal static class ReminderRenderer
{
    public const string ReminderSubjectPrefix = "Reminder";
    public const string EscalationSubjectPrefix = "Escalation: not acknowledged";

    public static RenderedEmail Render(DueReminder alert, int number, int maxReminders, bool escalation, Uri acknowledgeUrl, string? note)
    {
        var subject = escalation
            ? $"{EscalationSubjectPrefix} - {alert.Subject}"
            : $"{ReminderSubjectPrefix} {number} of {maxReminders}: {alert.Subject}";
        var line = escalation
            ? $"Escalated: nobody acknowledged this critical alert after {maxReminders} reminder(s) to {string.Join(", ", alert.Recipients)}."
            : $"Reminder {number} of {maxReminders}: this critical alert has not been acknowledged yet. After {maxReminders} reminder(s) it escalates.";
        var lines = note is null ? new[] { line } : [line, note];

        var text = $"{string.Join(Environment.NewLine, lines)}{Environment.NewLine}Acknowledge (stops the reminders, no sign-in needed): {acknowledgeUrl.AbsoluteUri}{Environment.NewLine}{Environment.NewLine}{alert.Text}";
        var banner =
            "<div data-role=\"reminder\" style=\"background:#fff3cd;border-bottom:2px solid #c62828;padding:12px 16px;font-family:sans-serif;font-size:14px;color:#111827;\">" +
            string.Concat(lines.Select(l => $"<div>{WebUtility.HtmlEncode(l)}</div>")) +
            $"<div style=\"margin-top:8px;\"><a data-role=\"acknowledge\" href=\"{WebUtility.HtmlEncode(acknowledgeUrl.AbsoluteUri)}\" style=\"display:inline-block;background:#c62828;color:#ffffff;text-decoration:none;padding:8px 16px;border-radius:4px;font-weight:bold;\">Acknowledge</a></div></div>";
        return new RenderedEmail(EmailRenderer.SingleLine(subject), InsertAfterBodyTag(alert.Html, banner), text);
    }

    private static string InsertAfterBodyTag(string html, string banner)
    {
        var body = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var end = body < 0 ? -1 : html.IndexOf('>', body);
        return end < 0 ? banner + html : html.Insert(end + 1, banner);
    }
}
