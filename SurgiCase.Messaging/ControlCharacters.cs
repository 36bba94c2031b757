using System.Buffers;

namespace SurgiCase.Messaging;

/// <summary>
/// Text that came from a message (its type attribute, a field name, a handler's reason) is echoed into log lines and
/// DLQ attributes; a CR/LF or an escape sequence there could forge a log line or repaint a terminal, so they go.
/// </summary>
public static class ControlCharacters
{
    /// <summary>
    /// Characters that change how a line reads without being control characters (category Cc): the bidirectional
    /// embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C), which can
    /// show "exe.txt" as "txt.exe" ("Trojan Source"), and the line and paragraph separators (U+2028, U+2029), which some
    /// editors break a line at.
    /// </summary>
    private static readonly SearchValues<char> Invisible = SearchValues.Create(
        "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C\u2028\u2029");

    public static string Strip(string text) =>
        text.AsSpan().ContainsAnyInRange('\0', '\x1f') || text.Contains('\x7f') || text.AsSpan().ContainsAnyInRange('\x80', '\x9f')
            ? string.Concat(text.Where(c => !char.IsControl(c)))
            : text;

    /// <summary>
    /// One line of text for a download someone opens in an editor: every control character, bidi control and line or
    /// paragraph separator becomes a space, so an item can neither split into two lines nor reorder what is shown.
    /// </summary>
    public static string Neutralize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.AsSpan().ContainsAny(Invisible) || text.Any(char.IsControl)
            ? string.Create(text.Length, text, static (chars, source) =>
            {
                for (var i = 0; i < source.Length; i++)
                {
                    chars[i] = char.IsControl(source[i]) || Invisible.Contains(source[i]) ? ' ' : source[i];
                }
            })
            : text;
    }
}
