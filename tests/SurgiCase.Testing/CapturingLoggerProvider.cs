using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Testing;

/// <summary>Writes every record of one logger factory, at every level, into a <see cref="TelemetryCapture"/>.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines;
    private IExternalScopeProvider? _scopes;

    internal CapturingLoggerProvider(ConcurrentQueue<string> lines) => _lines = lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(string category, CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder("log ").Append(logLevel).Append(' ').Append(category).Append(' ').Append(formatter(state, exception));
            AppendValues(text, state);
            provider._scopes?.ForEachScope(static (scope, builder) => AppendValues(builder.Append(" scope ").Append(scope), scope), text);
            if (exception is not null)
            {
                text.Append(' ').Append(exception);
            }

            provider._lines.Enqueue(text.ToString());
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
