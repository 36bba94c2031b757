using System.Globalization;

namespace SurgiCase.Operations.Jobs;

/// <summary>
/// Quartz cron (seconds first) in words for the shapes the jobs use: every N seconds/minutes/hours, hourly at :MM,
/// daily, weekdays or weekly at HH:MM. Anything else is shown as the cron itself, which the page prints beside it anyway.
/// </summary>
internal static class CronDescription
{
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DayAbbreviations = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    public static string Describe(string cron, string timeZone)
    {
        var words = Words(cron);
        return words is null ? cron : $"{words} {timeZone}".TrimEnd();
    }

    /// <summary>The words, or null when the shape is not one this knows.</summary>
    public static string? Words(string cron)
    {
        var f = cron.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (f.Length is < 6 or > 7 || (f.Length == 7 && f[6] != "*"))
        {
            return null;
        }

        var (sec, min, hour, dom, month, dow) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        var anyDay = IsAny(dom) && IsAny(dow);
        if (month != "*")
        {
            return null;
        }

        if (anyDay && Every(sec) is { } seconds && min == "*" && hour == "*")
        {
            return seconds == 1 ? "Every second" : $"Every {seconds} seconds";
        }

        if (sec != "0")
        {
            return null;
        }

        if (anyDay && Every(min) is { } minutes && hour == "*")
        {
            return minutes == 1 ? "Every minute" : $"Every {minutes} minutes";
        }

        if (anyDay && Number(min, 59) is { } minute && hour == "*")
        {
            return $"Hourly at :{minute:00}";
        }

        if (anyDay && min == "0" && Every(hour) is { } hours)
        {
            return hours == 1 ? "Every hour" : $"Every {hours} hours";
        }

        if (Number(min, 59) is not { } m || Number(hour, 23) is not { } h)
        {
            return null;
        }

        var at = string.Create(CultureInfo.InvariantCulture, $"{h:00}:{m:00}");
        if (anyDay)
        {
            return $"Daily at {at}";
        }

        if (!IsAny(dom))
        {
            return null;
        }

        if (dow.Equals("MON-FRI", StringComparison.OrdinalIgnoreCase) || dow == "2-6")
        {
            return $"Weekdays at {at}";
        }

        var days = dow.Split(',').Select(Day).ToList();
        return days.Any(d => d is null) ? null : $"Weekly on {JoinWords(days!)} at {at}";
    }

    private static bool IsAny(string field) => field is "*" or "?";

    /// <summary><c>*/N</c> or <c>0/N</c>: every N units from zero.</summary>
    private static int? Every(string field)
    {
        if (field == "*")
        {
            return 1;
        }

        var slash = field.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && field[..slash] is "*" or "0" && int.TryParse(field[(slash + 1)..], CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : null;
    }

    private static int? Number(string field, int max) =>
        int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= max ? n : null;

    private static string? Day(string field)
    {
        var index = Array.FindIndex(DayAbbreviations, d => d.Equals(field, StringComparison.OrdinalIgnoreCase));
        if (index < 0 && int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 7)
        {
            index = n - 1; // Quartz numbers days 1 (Sunday) to 7 (Saturday).
        }

        return index < 0 ? null : DayNames[index];
    }

    private static string JoinWords(IReadOnlyList<string> words) =>
        words.Count == 1 ? words[0] : string.Join(", ", words.Take(words.Count - 1)) + " and " + words[^1];
}
