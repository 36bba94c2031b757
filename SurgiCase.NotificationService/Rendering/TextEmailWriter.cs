using System.Text;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>The plain-text part: the same sections as the HTML, for clients that show no HTML.</summary>
internal static class TextEmailWriter
{
    public static string Write(AlertContent c)
    {
        var sb = new StringBuilder(2048);
        sb.AppendLine(c.Subject)
          .AppendLine(new string('=', 60))
          .Append("Job: ").AppendLine(c.JobName)
          .Append("Time: ").AppendLine(c.OccurredAtUtc);

        foreach (var note in c.Notes)
        {
            sb.AppendLine().Append("NOTE: ").AppendLine(note);
        }

        if (c.AcknowledgeUrl is { } acknowledge)
        {
            sb.AppendLine().Append("ACKNOWLEDGE (stops the reminders, no sign-in needed): ").AppendLine(acknowledge.AbsoluteUri);
        }

        foreach (var s in c.Sections)
        {
            sb.AppendLine().AppendLine(s.Title.ToUpperInvariant()).AppendLine(new string('-', Math.Min(60, s.Title.Length)));
            if (s.Paragraph is not null)
            {
                sb.AppendLine(s.Paragraph);
            }

            if (s.Rows is { Count: > 0 })
            {
                var width = s.Rows.Max(r => r.Key.Length);
                foreach (var (key, value) in s.Rows)
                {
                    sb.Append(key.PadRight(width)).Append(" : ").AppendLine(value);
                }
            }

            if (s.Items is not null)
            {
                for (var i = 0; i < s.Items.Count; i++)
                {
                    sb.Append(s.Numbered ? $"{i + 1}. " : "- ").AppendLine(s.Items[i]);
                }
            }

            if (s.Preformatted is not null)
            {
                sb.AppendLine(s.Preformatted);
            }
        }

        sb.AppendLine().AppendLine(new string('-', 60))
          .Append("Run ID: ").AppendLine(c.RunId)
          .Append("Trace ID: ").AppendLine(c.TraceId)
          .Append("Operations page: ").AppendLine(c.OperationsPageUrl.ToString())
          .AppendLine().AppendLine("Sent by SurgiCase NotificationService.");
        return sb.ToString();
    }
}
