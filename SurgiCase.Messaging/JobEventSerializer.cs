using System.Collections.Frozen;
using System.Reflection;
using System.Text;
using System.Text.Json;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging;

/// <summary>
/// The wire format of job events: camelCase JSON, typed by the <c>message-type</c> attribute.
/// Also usable for an outbox that stores events before they are sent.
/// </summary>
public static class JobEventSerializer
{
    public const int DefaultMaxMessageBytes = 262_144;

    private const int MaxEchoedLength = 64;

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A producer that forgot a field must not give a handler a record with nulls it never expects.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private static readonly FrozenDictionary<string, WireType> WireTypes = new Dictionary<string, WireType>
    {
        [MessageTypes.JobFailed] = WireType.For<JobFailed>(),
        [MessageTypes.JobPartiallyFailed] = WireType.For<JobPartiallyFailed>(),
        [MessageTypes.JobRecovered] = WireType.For<JobRecovered>(),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static (string MessageType, string Body) Serialize(IJobEvent jobEvent)
    {
        ArgumentNullException.ThrowIfNull(jobEvent);
        var messageType = MessageTypes.For(jobEvent);
        return (messageType, JsonSerializer.Serialize(jobEvent, WireTypes[messageType].ClrType, Options));
    }

    /// <exception cref="PoisonMessageException">The message can never become a job event.</exception>
    public static IJobEvent Deserialize(string? messageType, string? body, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        if (string.IsNullOrEmpty(body))
        {
            throw new PoisonMessageException("body is empty");
        }

        if (Encoding.UTF8.GetByteCount(body) > maxMessageBytes)
        {
            throw new PoisonMessageException($"message is larger than {maxMessageBytes} bytes");
        }

        if (string.IsNullOrEmpty(messageType))
        {
            throw new PoisonMessageException($"missing '{MessageTypes.AttributeName}' attribute");
        }

        if (!WireTypes.TryGetValue(messageType, out var wireType))
        {
            throw new PoisonMessageException($"unknown message-type '{Echo(messageType)}'");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            throw new PoisonMessageException("body is not JSON", e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new PoisonMessageException("body is not a JSON object");
            }

            foreach (var field in wireType.RequiredFields)
            {
                if (!document.RootElement.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    throw new PoisonMessageException($"missing required field '{field}'");
                }
            }

            IJobEvent jobEvent;
            try
            {
                jobEvent = (IJobEvent?)document.RootElement.Deserialize(wireType.ClrType, Options)
                    ?? throw new PoisonMessageException("body is null");
            }
            catch (JsonException e)
            {
                // The path names the field; the exception message could quote values, so it is not used.
                var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : null;
                throw new PoisonMessageException(
                    field is null ? $"body is not a valid {messageType}" : $"field '{Echo(field)}' is invalid", e);
            }

            // The event id is what makes delivery once-only: without one, every copy would be a new alert.
            return string.IsNullOrWhiteSpace(jobEvent.EventId)
                ? throw new PoisonMessageException("field 'eventId' is empty")
                : jobEvent;
        }
    }

    private static string Echo(string value)
    {
        var printable = ControlCharacters.Strip(value);
        return printable.Length <= MaxEchoedLength ? printable : string.Concat(printable.AsSpan(0, MaxEchoedLength), "…");
    }

    private sealed record WireType(Type ClrType, IReadOnlyList<string> RequiredFields)
    {
        /// <summary>The record's positional parameters without a default are the fields every message must have.</summary>
        public static WireType For<T>()
            where T : IJobEvent
        {
            var constructor = typeof(T).GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                .OrderByDescending(c => c.GetParameters().Length)
                .First();
            var required = constructor.GetParameters()
                .Where(p => !p.HasDefaultValue)
                .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!))
                .ToArray();
            return new WireType(typeof(T), required);
        }
    }
}
