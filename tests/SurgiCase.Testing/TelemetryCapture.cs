using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Testing;

/// <summary>
/// Every log record (message, structured values, scopes, exception) of the loggers it is added to, and every span the
/// process records while it lives, as text lines: what a test searches for a value that must never show up (a secret,
/// a webhook token) or must (a run id).
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ActivityListener _listener;

    public TelemetryCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _lines.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public int Count => _lines.Count;

    /// <summary>A provider for one logger factory (each factory hands its provider its own scope provider).</summary>
    public CapturingLoggerProvider CreateLoggerProvider() => new(_lines);

    /// <summary>The lines holding any of <paramref name="values"/>, with every value in them masked.</summary>
    public static IReadOnlyList<string> FindValues(IEnumerable<string> lines, IReadOnlyCollection<string> values) =>
        lines.Where(line => values.Any(v => line.Contains(v, StringComparison.Ordinal)))
            .Select(line => values.Aggregate(line, (masked, v) => masked.Replace(v, "<SECRET VALUE>", StringComparison.Ordinal)))
            .ToList();

    public void Dispose() => _listener.Dispose();

    private static string Describe(Activity activity)
    {
        var text = new StringBuilder("span ")
            .Append(activity.Source.Name).Append(' ').Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription);
        foreach (var tag in activity.TagObjects)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        foreach (var item in activity.Baggage)
        {
            text.Append(" baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        foreach (var activityEvent in activity.Events)
        {
            text.Append(" event ").Append(activityEvent.Name);
            foreach (var tag in activityEvent.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
            }
        }

        return text.ToString();
    }
}
