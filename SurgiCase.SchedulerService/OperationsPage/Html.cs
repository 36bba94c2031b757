using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>A fragment of markup that is already safe to emit. Only <see cref="H.Of"/> and <see cref="H.Raw"/> make one.</summary>
internal readonly record struct Html(string Value)
{
    public static readonly Html Empty = new("");

    public override string ToString() => Value ?? "";
}

/// <summary>
/// Builds markup from interpolated strings where every hole is HTML-encoded unless it already is <see cref="Html"/>,
/// so job names, error messages and anything else from the run history can never become markup by accident.
/// </summary>
internal static class H
{
    // Encodes &lt; &gt; &amp; and both quotes (safe in text and quoted attributes) but leaves letters and emoji readable.
    internal static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static Html Of(ref HtmlInterpolation html) => html.ToHtml();

    /// <summary>For literal markup only (constants in this folder), never for data.</summary>
    public static Html Raw(string markup) => new(markup);

    public static Html Join(IEnumerable<Html> parts) => new(string.Concat(parts.Select(p => p.Value)));

    public static Html When(bool condition, Html html) => condition ? html : Html.Empty;
}

[InterpolatedStringHandler]
internal ref struct HtmlInterpolation
{
    private readonly StringBuilder _builder;

    public HtmlInterpolation(int literalLength, int formattedCount) => _builder = new StringBuilder(literalLength + (formattedCount * 16));

    public readonly void AppendLiteral(string value) => _builder.Append(value);

    public readonly void AppendFormatted(Html value) => _builder.Append(value.Value);

    public readonly void AppendFormatted(string? value) => _builder.Append(H.Encoder.Encode(value ?? ""));

    public readonly void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public readonly void AppendFormatted<T>(T value, string? format)
    {
        switch (value)
        {
            case Html html:
                _builder.Append(html.Value);
                break;
            case IEnumerable<Html> parts:
                foreach (var part in parts)
                {
                    _builder.Append(part.Value);
                }

                break;
            case IFormattable formattable:
                AppendFormatted(formattable.ToString(format, CultureInfo.InvariantCulture));
                break;
            default:
                AppendFormatted(value?.ToString());
                break;
        }
    }

    public readonly Html ToHtml() => new(_builder.ToString());
}
