using System.Globalization;

namespace SurgiCase.Operations.Components;

/// <summary>Times as the page prints them: UTC, plus how long ago or until.</summary>
internal static class Format
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Relative(DateTimeOffset t, DateTimeOffset now)
    {
        var delta = t - now;
        var span = delta.Duration();
        var amount = span.TotalSeconds < 5 ? null
            : span.TotalMinutes < 1 ? $"{(int)span.TotalSeconds} s"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h {span.Minutes} min"
            : $"{(int)span.TotalDays} d {span.Hours} h";
        return amount is null ? "just now" : delta < TimeSpan.Zero ? $"{amount} ago" : $"in {amount}";
    }

    public static string Duration(DateTimeOffset? startedAt, DateTimeOffset? finishedAt)
    {
        if (startedAt is not { } started || finishedAt is not { } finished)
        {
            return "–";
        }

        var span = finished - started;
        return span.TotalSeconds < 1 ? $"{(int)span.TotalMilliseconds} ms"
            : span.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{span.TotalSeconds:0.0} s")
            : $"{(int)span.TotalMinutes} min {span.Seconds} s";
    }

    public static string ShortId(string id) => id.Length > 8 ? id[..8] : id;

    public static string TraceUrl(OperationsOptions options, string traceId) =>
        $"{options.DashboardUrl.ToString().TrimEnd('/')}/traces/detail/{Uri.EscapeDataString(traceId)}";
}
