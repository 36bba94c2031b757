using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

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

/// <summary>
/// A stand-in for a Slack incoming webhook, so the notification service's fallback channel (used when
/// SES cannot deliver) can be seen working locally: <c>POST /webhooks/slack</c> takes a message,
/// <c>GET /webhooks/slack</c> lists them.
/// </summary>
internal static class SlackWebhookEndpoints
{
    private const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSlackWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/slack");
        group.MapPost("/", ReceiveAsync);
        group.MapGet("/", List);
        group.MapDelete("/", Clear);
        return app;
    }

    private static Ok<IReadOnlyList<WebhookMessage>> List(WebhookInbox inbox) => TypedResults.Ok(inbox.Snapshot());

    private static NoContent Clear(WebhookInbox inbox)
    {
        inbox.Clear();
        return TypedResults.NoContent();
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReceiveAsync(HttpRequest request, WebhookInbox inbox, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxBodyBytes)
        {
            return TypedResults.Problem(title: "Payload too large", detail: $"At most {MaxBodyBytes} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        JsonElement payload;
        try
        {
            payload = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return TypedResults.Problem(title: "Invalid payload", detail: "The body must be JSON, e.g. {\"text\":\"...\"}.", statusCode: StatusCodes.Status400BadRequest);
        }

        var text = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String
            ? t.GetString()
            : null;
        inbox.Add(new WebhookMessage(time.GetUtcNow(), text, payload));
        // Slack answers a plain "ok".
        return TypedResults.Text("ok");
    }
}
