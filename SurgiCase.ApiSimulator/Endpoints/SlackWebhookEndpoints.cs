using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.ApiSimulator.Webhooks;

namespace SurgiCase.ApiSimulator.Endpoints;

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
