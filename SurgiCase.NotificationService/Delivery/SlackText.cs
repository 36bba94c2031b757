using System.Text;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// An alert as a Slack message in mrkdwn: short enough to read in a channel, with the job, the error, the run and
/// trace ids, and links to the operations page and the acknowledge link. Everything from the event is escaped, so a
/// job's error text cannot ping the channel (<c>&lt;!channel&gt;</c>), forge a link (<c>&lt;url|text&gt;</c>) or
/// start an entity (<c>&amp;</c>).
/// </summary>
internal static class SlackText
{
    public static string Write(AlertContent alert, string? emailFailure)
    {
        var sb = new StringBuilder();
        sb.Append('*').Append(Escape(alert.Subject)).AppendLine("*")
          .Append("Job: ").AppendLine(Escape(alert.JobName))
          .Append("Time: ").AppendLine(Escape(alert.OccurredAtUtc));
        var first = alert.Sections.FirstOrDefault(s => s.Paragraph is not null);
        if (first?.Paragraph is { } paragraph)
        {
            sb.Append(Escape(first.Title)).Append(": ").AppendLine(Escape(paragraph));
        }

        foreach (var note in alert.Notes)
        {
            sb.Append("Note: ").AppendLine(Escape(note));
        }

        sb.Append("Run ID: ").AppendLine(Escape(alert.RunId))
          .Append("Trace ID: ").AppendLine(Escape(alert.TraceId))
          .Append(Link(alert.OperationsPageUrl, "Open the operations page"));
        if (alert.AcknowledgeUrl is { } acknowledge)
        {
            sb.Append(" · ").Append(Link(acknowledge, "Acknowledge"));
        }

        if (emailFailure is not null)
        {
            sb.AppendLine().Append("_Sent here because email failed: ").Append(Escape(emailFailure)).Append('_');
        }

        return sb.ToString();
    }

    /// <summary>Slack's three control characters; anything else shows as typed.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Link(Uri url, string label) => $"<{Escape(url.AbsoluteUri).Replace("|", "%7C", StringComparison.Ordinal)}|{label}>";
}
