using System.Globalization;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Caps on what a run copies into its event, so that no answer of the API (5,000 failed items of 200 characters, say)
/// can make an event too large for the queue: an event over SQS's 256 KiB would never leave the outbox, and its alert
/// would never reach anyone. With these caps the variable parts stay under about 80 KB.
/// </summary>
internal static class EventLimits
{
    public const int MaxItems = 50;
    public const int MaxItemLength = 500;
    public const int MaxMessageLength = 2_000;
    public const int MaxStackTraceLength = 8_000;

    /// <summary>The first <see cref="MaxItems"/> items, each cut to <see cref="MaxItemLength"/>, then "…and 4,950 more".</summary>
    public static IReadOnlyList<string> Items(IReadOnlyList<string> items)
    {
        if (items.Count <= MaxItems && items.All(i => i.Length <= MaxItemLength))
        {
            return items;
        }

        var kept = items.Take(MaxItems).Select(i => Text(i, MaxItemLength)).ToList();
        if (items.Count > MaxItems)
        {
            kept.Add(string.Create(CultureInfo.InvariantCulture, $"…and {items.Count - MaxItems:N0} more"));
        }

        return kept;
    }

    /// <summary>The text, cut to <paramref name="max"/> characters with a trailing "…" when longer.</summary>
    public static string Text(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
