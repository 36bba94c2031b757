using System.Diagnostics;
using Amazon.SQS.Model;

namespace SurgiCase.Messaging.Sqs;

/// <summary>W3C trace context in SQS message attributes, through the BCL's <see cref="DistributedContextPropagator"/>.</summary>
internal static class TraceContextPropagation
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>Adds traceparent/tracestate of <paramref name="activity"/>; other propagator fields are left out (SQS allows 10 attributes).</summary>
    public static void Inject(Activity? activity, Dictionary<string, MessageAttributeValue> attributes)
    {
        if (activity is null)
        {
            return;
        }

        DistributedContextPropagator.Current.Inject(activity, attributes, static (carrier, name, value) =>
        {
            if (carrier is Dictionary<string, MessageAttributeValue> target
                && (name == TraceParent || name == TraceState)
                && !string.IsNullOrEmpty(value))
            {
                target[name] = new MessageAttributeValue { DataType = "String", StringValue = value };
            }
        });
    }

    /// <summary>The remote parent context, or default when the message carries none (the span then starts a new trace).</summary>
    public static ActivityContext Extract(Dictionary<string, MessageAttributeValue>? attributes)
    {
        if (attributes is null)
        {
            return default;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(
            attributes,
            static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
            {
                values = null;
                value = carrier is Dictionary<string, MessageAttributeValue> source && source.TryGetValue(name, out var attribute)
                    ? attribute.StringValue
                    : null;
            },
            out var traceParent,
            out var traceState);

        return ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context) ? context : default;
    }
}
