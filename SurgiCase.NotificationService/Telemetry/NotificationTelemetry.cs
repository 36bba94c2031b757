using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SurgiCase.NotificationService.Telemetry;

/// <summary>
/// The service's ActivitySource and counters, named <c>SurgiCase.Notifications</c> so the service defaults
/// export them. Tags carry the message type, channel and outcome only — never bodies or addresses.
/// </summary>
internal sealed class NotificationTelemetry
{
    public const string Name = "SurgiCase.Notifications";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deduplicated;
    private readonly Counter<long> _suppressed;

    public NotificationTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _sent = meter.CreateCounter<long>("surgicase.notifications.sent", description: "Alerts delivered, by channel.");
        _failed = meter.CreateCounter<long>("surgicase.notifications.failed", description: "Delivery attempts on which every channel failed.");
        _deduplicated = meter.CreateCounter<long>("surgicase.notifications.deduplicated", description: "Redelivered events not sent again.");
        _suppressed = meter.CreateCounter<long>("surgicase.notifications.suppressed", description: "Repeats folded into an earlier alert.");
    }

    public void Sent(string messageType, string channel) =>
        _sent.Add(1, new("message.type", messageType), new("channel", channel));

    public void Failed(string messageType) => _failed.Add(1, new KeyValuePair<string, object?>("message.type", messageType));

    public void Deduplicated(string messageType) => _deduplicated.Add(1, new KeyValuePair<string, object?>("message.type", messageType));

    public void Suppressed(string messageType) => _suppressed.Add(1, new KeyValuePair<string, object?>("message.type", messageType));
}
