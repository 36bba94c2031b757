namespace SurgiCase.Messaging;

/// <summary>
/// Text that came from a message (its type attribute, a field name, a handler's reason) is echoed into log lines and
/// DLQ attributes; a CR/LF or an escape sequence there could forge a log line or repaint a terminal, so they go.
/// </summary>
public static class ControlCharacters
{
    public static string Strip(string text) =>
        text.AsSpan().ContainsAnyInRange('\0', '\x1f') || text.Contains('\x7f') || text.AsSpan().ContainsAnyInRange('\x80', '\x9f')
            ? string.Concat(text.Where(c => !char.IsControl(c)))
            : text;
}
