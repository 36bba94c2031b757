using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Every log line and every span tag this process produces while it lives, to prove a secret never shows up.</summary>
public sealed class CapturedTelemetry : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ActivityListener _listener;

    public CapturedTelemetry()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                foreach (var (key, value) in activity.TagObjects)
                {
                    _lines.Enqueue($"tag {key}={value}");
                }

                _lines.Enqueue($"status {activity.StatusDescription}");
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IReadOnlyCollection<string> Lines => _lines.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() => _listener.Dispose();

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
        }
    }
}
