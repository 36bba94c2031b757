using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Logs;

namespace SurgiCase.Testing;

/// <summary>
/// Everything a service writes that leaves the process, as text: each log record at every level formatted by the real
/// JSON console formatter (as the containers log, scopes included), each record as the OTLP exporter reads it
/// (body, attributes, scopes), every span (<see cref="TelemetryCapture"/>'s listener) and every metric measurement's tags.
/// A test searches it for a value that must never show up.
/// </summary>
public sealed class EveryOutputCapture : IDisposable
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TelemetryCapture _spans = new();
    private readonly MeterListener _meters = new();

    public EveryOutputCapture()
    {
        _meters.InstrumentPublished = (instrument, listener) => listener.EnableMeasurementEvents(instrument);
        _meters.SetMeasurementEventCallback<long>((i, v, tags, _) => Measured(i, tags));
        _meters.SetMeasurementEventCallback<int>((i, v, tags, _) => Measured(i, tags));
        _meters.SetMeasurementEventCallback<double>((i, v, tags, _) => Measured(i, tags));
        _meters.Start();
    }

    /// <summary>Log lines (JSON console and OTLP view), spans and metric tags captured so far.</summary>
    public IReadOnlyList<string> Lines => [.. _lines, .. _spans.Lines];

    /// <summary>Adds the JSON console capture and the OTLP-view processor to a host's logging, both at every level.</summary>
    /// <param name="jsonConsole">The container's JSON console settings (ServiceDefaults' ContainerLogging.ConfigureJsonConsole).</param>
    public void AddTo(IServiceCollection services, Action<JsonConsoleFormatterOptions> jsonConsole)
    {
        services.AddLogging(logging => logging.AddJsonConsole(jsonConsole));
        services.AddSingleton<ILoggerProvider>(sp =>
            new JsonConsoleCapture(sp.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Json), _lines));
        services.AddOpenTelemetry().WithLogging(logging => logging.AddProcessor(new OtlpViewProcessor(_lines)));
        services.Configure<LoggerFilterOptions>(filters =>
        {
            // Provider rules win over the app's category levels: these two see every record.
            filters.Rules.Add(new LoggerFilterRule(typeof(JsonConsoleCapture).FullName, null, LogLevel.Trace, null));
            filters.Rules.Add(new LoggerFilterRule(typeof(OpenTelemetryLoggerProvider).FullName, null, LogLevel.Trace, null));
        });
    }

    public void Dispose()
    {
        _meters.Dispose();
        _spans.Dispose();
    }

    private void Measured(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder("metric ").Append(instrument.Meter.Name).Append(' ').Append(instrument.Name);
        foreach (var tag in tags)
        {
            text.Append(' ').Append(tag.Key).Append('=').Append(tag.Value);
        }

        _lines.Enqueue(text.ToString());
    }

    private sealed class JsonConsoleCapture(ConsoleFormatter formatter, ConcurrentQueue<string> lines) : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConsoleFormatter _formatter = formatter;
        private readonly ConcurrentQueue<string> _lines = lines;
        private IExternalScopeProvider? _scopes;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(string category, JsonConsoleCapture provider) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes?.Push(state);

            public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                using var writer = new StringWriter();
                provider._formatter.Write(new Microsoft.Extensions.Logging.Abstractions.LogEntry<TState>(logLevel, category, eventId, state, exception, formatter),
                    provider._scopes, writer);
                provider._lines.Enqueue("json " + writer);
            }
        }
    }

    /// <summary>What the OTLP log exporter reads of a record: body, formatted message, attributes, scopes, exception.</summary>
    private sealed class OtlpViewProcessor(ConcurrentQueue<string> lines) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data)
        {
            var text = new StringBuilder("otlp ").Append(data.CategoryName).Append(' ').Append(data.Body).Append(' ').Append(data.FormattedMessage);
            foreach (var (key, value) in data.Attributes ?? [])
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }

            data.ForEachScope(static (scope, builder) =>
            {
                builder.Append(" scope");
                foreach (var (key, value) in scope)
                {
                    builder.Append(' ').Append(key).Append('=').Append(value);
                }
            }, text);
            text.Append(' ').Append(data.Exception);
            lines.Enqueue(text.ToString());
        }
    }
}
