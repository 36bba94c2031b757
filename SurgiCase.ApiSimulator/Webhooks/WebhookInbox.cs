using System.Collections.Concurrent;
using System.Text.Json;

namespace SurgiCase.ApiSimulator.Webhooks;

/// <summary>One message posted to the Slack stand-in, as Slack's incoming webhook would receive it.</summary>
public sealed record WebhookMessage(DateTimeOffset ReceivedAt, string? Text, JsonElement Payload);

/// <summary>The messages the Slack stand-in received, newest last, the last <see cref="Capacity"/> kept.</summary>
internal sealed class WebhookInbox
{
    public const int Capacity = 100;
    private readonly ConcurrentQueue<WebhookMessage> _messages = new();

    public void Add(WebhookMessage message)
    {
        _messages.Enqueue(message);
        while (_messages.Count > Capacity && _messages.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<WebhookMessage> Snapshot() => _messages.ToArray();

    public void Clear() => _messages.Clear();
}
