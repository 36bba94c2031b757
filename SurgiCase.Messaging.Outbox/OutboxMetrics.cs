using System.Diagnostics.Metrics;

namespace SurgiCase.Messaging.Outbox;

/// <summary>
/// The outbox's gauges (pending rows, age of the oldest, parked rows) and its parked counter, in the
/// <c>SurgiCase.Messaging</c> meter. The gauges show the figures the dispatcher and the health check last read: a gauge
/// callback must not query the database.
/// </summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _parked;
    private readonly TimeProvider _timeProvider;
    private volatile Snapshot _last = new(new OutboxStats(0, null, 0));

    public OutboxMetrics(IMeterFactory meterFactory, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        var meter = meterFactory.Create(MessagingDiagnostics.MeterName);
        _parked = meter.CreateCounter<long>("surgicase.outbox.parked", "{message}", "Events given up on: too large, or out of attempts.");
        meter.CreateObservableGauge("surgicase.outbox.pending", () => _last.Stats.Pending, "{message}", "Events waiting to be published.");
        meter.CreateObservableGauge("surgicase.outbox.parked_waiting", () => _last.Stats.Parked, "{message}", "Parked events still in the outbox.");
        meter.CreateObservableGauge("surgicase.outbox.oldest_pending_age", () => OldestPendingAge(_last.Stats).TotalSeconds, "s",
            "Age of the oldest event waiting to be published.");
    }

    public OutboxStats Last => _last.Stats;

    public void Observe(OutboxStats stats) => _last = new Snapshot(stats);

    public void Parked(string messageType) => _parked.Add(1, new KeyValuePair<string, object?>(MessagingDiagnostics.MessageTypeTag, messageType));

    public TimeSpan OldestPendingAge(OutboxStats stats) =>
        stats.OldestPendingCreatedAt is { } oldest && _timeProvider.GetUtcNow() - oldest is var age && age > TimeSpan.Zero ? age : TimeSpan.Zero;

    // One reference swapped at once, so a reader never sees counts from two different reads.
    private sealed record Snapshot(OutboxStats Stats);
}
