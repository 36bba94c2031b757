using System.Diagnostics;
using System.Diagnostics.Metrics;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging.Sqs;

/// <summary>Outcomes of consumed messages, the values of the <c>surgicase.outcome</c> tag.</summary>
internal static class ConsumeOutcomes
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Poison = "poison";
    public const string DeadLettered = "dead-lettered";
}

internal sealed class MessagingMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _consumed;
    private readonly Histogram<double> _queueAge;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MessagingDiagnostics.MeterName);
        _published = meter.CreateCounter<long>(
            "surgicase.messaging.messages.published", "{message}", "Job events sent to the queue.");
        _consumed = meter.CreateCounter<long>(
            "surgicase.messaging.messages.consumed", "{message}", "Job events taken from the queue, by outcome.");
        _queueAge = meter.CreateHistogram<double>(
            "surgicase.messaging.queue.age", "s", "Time from send to receive of a job event.");
    }

    public void Published(string messageType) =>
        _published.Add(1, new KeyValuePair<string, object?>(SqsDiagnostics.Tags.MessageType, messageType));

    public void Consumed(string? messageType, string outcome)
    {
        var tags = new TagList
        {
            { SqsDiagnostics.Tags.MessageType, KnownTypeOrOther(messageType) },
            { SqsDiagnostics.Tags.Outcome, outcome },
        };
        _consumed.Add(1, tags);
    }

    public void QueueAge(TimeSpan age) => _queueAge.Record(Math.Max(0, age.TotalSeconds));

    // A poison message may carry any type string; only known ones become tag values, to keep cardinality bounded.
    private static string KnownTypeOrOther(string? messageType) => messageType switch
    {
        MessageTypes.JobFailed or MessageTypes.JobPartiallyFailed or MessageTypes.JobRecovered => messageType,
        _ => "other",
    };
}
