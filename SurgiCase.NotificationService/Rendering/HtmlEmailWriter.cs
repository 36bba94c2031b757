using System.Text;
using static System.Net.WebUtility;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// The HTML part. Mail clients ignore style sheets and most layout CSS, so this is the old, reliable
/// shape: nested tables, inline styles, a 600 px column that shrinks in a narrow pane. Every string
/// that came from an event goes through <see cref="HtmlEncode"/>.
/// </summary>
internal static class HtmlEmailWriter
{
    private const string Font = "font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
    private const string Mono = "font-family:Consolas,'SFMono-Regular',Menlo,'Courier New',monospace;";

    public static string Write(AlertContent c)
    {
        var (colour, tint, emoji) = Palette(c.Look);
        var sb = new StringBuilder(4096);
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
          .Append("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">")
          .Append("<title>").Append(HtmlEncode(c.Subject)).Append("</title></head>")
          .Append("<body style=\"margin:0;padding:0;background:#f3f4f6;").Append(Font).Append("\">")
          .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#f3f4f6;\"><tr><td align=\"center\" style=\"padding:16px 8px;\">")
          .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"max-width:600px;width:100%;background:#ffffff;border:1px solid #e5e7eb;border-radius:6px;border-collapse:separate;\">");

        // Header: the colour and emoji tell the kind before a word is read.
        sb.Append("<tr><td style=\"background:").Append(colour).Append(";color:#ffffff;padding:16px 20px;border-radius:6px 6px 0 0;\">")
          .Append("<div data-role=\"headline\" style=\"font-size:13px;letter-spacing:0.5px;text-transform:uppercase;opacity:0.9;\">").Append(emoji).Append(' ')
          .Append(HtmlEncode(c.Headline)).Append("</div>")
          .Append("<div data-role=\"job-name\" style=\"font-size:20px;font-weight:bold;margin-top:4px;word-break:break-word;\">").Append(HtmlEncode(c.JobName)).Append("</div>")
          .Append("<div style=\"font-size:13px;margin-top:4px;opacity:0.9;\">").Append(HtmlEncode(c.OccurredAtUtc)).Append("</div>")
          .Append("</td></tr>");

        foreach (var note in c.Notes)
        {
            sb.Append("<tr><td style=\"padding:12px 20px 0 20px;\"><div style=\"background:#fff8e1;border-left:4px solid #f9a825;padding:8px 12px;font-size:13px;color:#5d4037;\">")
              .Append("<strong>Note:</strong> ").Append(HtmlEncode(note)).Append("</div></td></tr>");
        }

        if (c.AcknowledgeUrl is { } acknowledge)
        {
            // Near the top: the one thing the reader should do first. The link opens a confirmation page (a GET never acknowledges).
            sb.Append("<tr><td style=\"padding:16px 20px 0 20px;\"><a data-role=\"acknowledge\" href=\"").Append(HtmlEncode(acknowledge.AbsoluteUri))
              .Append("\" style=\"display:inline-block;background:").Append(colour)
              .Append(";color:#ffffff;text-decoration:none;padding:10px 18px;border-radius:4px;font-weight:bold;font-size:15px;\">Acknowledge</a>")
              .Append("<div style=\"font-size:12px;color:#4b5563;margin-top:6px;\">Acknowledging tells the team you are on it and stops the reminders. No sign-in needed.</div></td></tr>");
        }

        foreach (var section in c.Sections)
        {
            WriteSection(sb, section, colour, tint);
        }

        // Footer: what an engineer needs to find this run and its trace. The spacer row keeps the last
        // section off the rule (sections pad only above, so they stack evenly).
        sb.Append("<tr><td style=\"height:16px;line-height:16px;font-size:0;\">&nbsp;</td></tr>");
        sb.Append("<tr><td style=\"padding:16px 20px;border-top:1px solid #e5e7eb;font-size:12px;color:#4b5563;\">")
          .Append("<div>Run ID: <span style=\"").Append(Mono).Append("\">").Append(HtmlEncode(c.RunId)).Append("</span></div>")
          .Append("<div>Trace ID: <span style=\"").Append(Mono).Append("\">").Append(HtmlEncode(c.TraceId)).Append("</span></div>")
          .Append("<div style=\"margin-top:12px;\"><a href=\"").Append(HtmlEncode(c.OperationsPageUrl.ToString()))
          .Append("\" style=\"display:inline-block;background:").Append(colour)
          .Append(";color:#ffffff;text-decoration:none;padding:8px 14px;border-radius:4px;font-weight:bold;\">Open the operations page</a></div>")
          .Append("<div style=\"margin-top:12px;color:#9ca3af;\">Sent by SurgiCase NotificationService.</div>")
          .Append("</td></tr>");

        sb.Append("</table></td></tr></table></body></html>");
        return sb.ToString();
    }

    private static void WriteSection(StringBuilder sb, AlertSection s, string colour, string tint)
    {
        sb.Append("<tr><td style=\"padding:16px 20px 0 20px;\">")
          .Append("<div style=\"font-size:14px;font-weight:bold;color:#111827;margin-bottom:6px;\">").Append(HtmlEncode(s.Title)).Append("</div>");

        if (s.Paragraph is not null)
        {
            var style = s.Highlight
                ? $"background:{tint};border-left:4px solid {colour};padding:10px 12px;"
                : "padding:0;";
            sb.Append("<div style=\"").Append(style).Append("font-size:14px;color:#111827;word-break:break-word;white-space:pre-wrap;\">")
              .Append(HtmlEncode(s.Paragraph)).Append("</div>");
        }

        if (s.Rows is not null)
        {
            sb.Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;font-size:13px;\">");
            foreach (var (key, value) in s.Rows)
            {
                sb.Append("<tr><td style=\"padding:4px 8px 4px 0;color:#6b7280;vertical-align:top;width:35%;border-bottom:1px solid #f3f4f6;\">").Append(HtmlEncode(key))
                  .Append("</td><td style=\"padding:4px 0;color:#111827;vertical-align:top;word-break:break-word;border-bottom:1px solid #f3f4f6;\">").Append(HtmlEncode(value)).Append("</td></tr>");
            }

            sb.Append("</table>");
        }

        if (s.Items is not null)
        {
            var tag = s.Numbered ? "ol" : "ul";
            sb.Append('<').Append(tag).Append(" style=\"margin:0;padding-left:20px;font-size:13px;color:#111827;\">");
            foreach (var item in s.Items)
            {
                sb.Append("<li style=\"margin:2px 0;word-break:break-word;\">").Append(HtmlEncode(item)).Append("</li>");
            }

            sb.Append("</").Append(tag).Append('>');
        }

        if (s.Preformatted is not null)
        {
            // pre-wrap so a long stack frame wraps in a narrow pane instead of forcing a sideways scroll;
            // it breaks at spaces first and inside a long token (a path, a generic type) only when it must.
            sb.Append("<pre style=\"").Append(Mono).Append("font-size:12px;line-height:1.45;background:#1f2937;color:#f9fafb;padding:10px 12px;border-radius:4px;margin:0;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere;\">")
              .Append(HtmlEncode(s.Preformatted)).Append("</pre>");
        }

        sb.Append("</td></tr>");
    }

    private static (string Colour, string Tint, string Emoji) Palette(AlertLook look) => look switch
    {
        AlertLook.Failure => ("#c62828", "#fdecea", "🚨"),
        AlertLook.Warning => ("#e65100", "#fff3e0", "⚠️"),
        _ => ("#2e7d32", "#e8f5e9", "✅"),
    };
}
