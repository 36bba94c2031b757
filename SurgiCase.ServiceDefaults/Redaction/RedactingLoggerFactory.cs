using System.Collections;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The service's logger factory, masking secret path segments (<see cref="SecretPathRedactor"/>) before any provider
/// sees a record or a scope. It has to sit here, above every provider: ASP.NET Core's request scope
/// (<c>RequestPath=/ack/&lt;token&gt;</c>) is made from the path when the request arrives, before any middleware, and
/// the JSON console and OTLP exporters both write scopes.
/// </summary>
internal sealed class RedactingLoggerFactory(ILoggerFactory inner, SecretPathRedactor redactor) : ILoggerFactory
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        redactor.IsEmpty ? inner.CreateLogger(categoryName) : _loggers.GetOrAdd(categoryName, name => new RedactingLogger(inner.CreateLogger(name), redactor));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The container owns and disposes the inner factory.
    public void Dispose()
    {
    }

    private sealed class RedactingLogger(ILogger inner, SecretPathRedactor redactor) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => state switch
        {
            string text when redactor.Holds(text) => inner.BeginScope(redactor.Redact(text)),
            IEnumerable<KeyValuePair<string, object?>> values when Holds(values) => inner.BeginScope(new RedactedState(values, redactor, state.ToString() ?? "")),
            _ => inner.BeginScope(state),
        };

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var redact = state is IEnumerable<KeyValuePair<string, object?>> values ? Holds(values) : redactor.Holds(state?.ToString());
            if (!redact)
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }

            var list = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            inner.Log(logLevel, eventId, new RedactedState(list, redactor, formatter(state, exception)), exception, static (s, _) => s.ToString());
        }

        private bool Holds(IEnumerable<KeyValuePair<string, object?>> values)
        {
            foreach (var (_, value) in values)
            {
                if (redactor.Holds(Text(value)))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>The text a value is logged as, for the value types a path or URL comes in.</summary>
    private static string? Text(object? value) => value switch
    {
        string text => text,
        Uri uri => uri.OriginalString,
        PathString path => path.Value,
        _ => null,
    };

    /// <summary>A record's or scope's values and text with the secret segments masked.</summary>
    private sealed class RedactedState : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly KeyValuePair<string, object?>[] _values;
        private readonly string _text;

        public RedactedState(IEnumerable<KeyValuePair<string, object?>> values, SecretPathRedactor redactor, string text)
        {
            _values = values.Select(pair => Text(pair.Value) is { } value && redactor.Holds(value)
                ? KeyValuePair.Create(pair.Key, (object?)redactor.Redact(value))
                : pair).ToArray();
            _text = redactor.Redact(text);
        }

        public int Count => _values.Length;

        public KeyValuePair<string, object?> this[int index] => _values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)_values).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => _text;
    }
}
