using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// Every log record of every app and client the tests build (through <see cref="CreateLoggerProvider"/>) and every span
/// the process records, kept for <see cref="TelemetryLeakGuard"/> to search for the values the tests seeded in moto.
/// </summary>
internal static class TelemetryCapture
{
    // Shorter leaves ("x", "3") would also match unrelated text; the whole value is always checked.
    private const int MinimumLeafLength = 8;

    private static readonly ConcurrentQueue<string> Records = new();
    private static readonly ConcurrentDictionary<string, byte> Seeded = new(StringComparer.Ordinal);
    private static readonly ActivityListener Listener = StartListener();

    public static int RecordCount => Records.Count;

    public static int SeededCount => Seeded.Count;

    /// <summary>Makes sure the process-wide span listener is registered (it is, on first use of this class).</summary>
    public static void EnsureListening() => GC.KeepAlive(Listener);

    /// <summary>One provider per logger factory: each factory hands its provider its own scope provider.</summary>
    public static ILoggerProvider CreateLoggerProvider() => new CaptureLoggerProvider();

    /// <summary>A value just stored in moto, plus its JSON string fields (a leak may print one field only).</summary>
    public static void AddSeeded(string value)
    {
        Seeded[value] = 0;
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: >= MinimumLeafLength } leaf)
                    {
                        Seeded[leaf] = 0;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // a plain-string secret: the whole value is enough
        }
    }

    public static IReadOnlyList<string> Snapshot() => Records.ToArray();

    public static IReadOnlyList<string> FindLeaks() => FindLeaks(Records.ToArray(), Seeded.Keys.ToArray());

    /// <returns>The records holding a value, with every value in them masked.</returns>
    public static IReadOnlyList<string> FindLeaks(IReadOnlyCollection<string> records, IReadOnlyCollection<string> values)
    {
        var leaks = new List<string>();
        foreach (var record in records)
        {
            if (values.Any(v => record.Contains(v, StringComparison.Ordinal)))
            {
                leaks.Add(values.Aggregate(record, (masked, v) => masked.Replace(v, "<SECRET VALUE>", StringComparison.Ordinal)));
            }
        }

        return leaks;
    }

    private static ActivityListener StartListener()
    {
        var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
        return listener;
    }

    private static void Record(Activity activity)
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

        Records.Enqueue(text.ToString());
    }

    private sealed class CaptureLoggerProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider? _scopes;

        public ILogger CreateLogger(string categoryName) => new CaptureLogger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class CaptureLogger(string category, CaptureLoggerProvider provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
                provider._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var text = new StringBuilder("log ").Append(category).Append(' ').Append(formatter(state, exception));
                AppendValues(text, state);
                provider._scopes?.ForEachScope(static (scope, builder) => AppendValues(builder.Append(" scope ").Append(scope), scope), text);
                if (exception is not null)
                {
                    text.Append(' ').Append(exception);
                }

                Records.Enqueue(text.ToString());
            }

            private static void AppendValues(StringBuilder text, object? state)
            {
                if (state is IEnumerable<KeyValuePair<string, object?>> values)
                {
                    foreach (var (key, value) in values)
                    {
                        text.Append(' ').Append(key).Append('=').Append(value);
                    }
                }
            }
        }
    }
}
