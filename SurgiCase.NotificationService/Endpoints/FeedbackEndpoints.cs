using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.NotificationService.Feedback;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Endpoints;

/// <summary>
/// Confirmed delivery (issue 19.3): each alert's recipients with what SES reported for them, and the addresses that
/// bounced permanently (what turns /health Degraded), which an operator clears once the address is fixed.
/// </summary>
internal static class FeedbackEndpoints
{
    public static RouteGroupBuilder MapFeedbackEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/bounced-recipients", ListBouncedAsync);
        group.MapDelete("/bounced-recipients/{address}", ClearAsync).RequireAuthorization(ApiPolicies.Operator);
        return group;
    }

    /// <summary>The records with each recipient's delivered, bounced or complained, from SES's feedback.</summary>
    public static async Task<IReadOnlyList<NotificationRecord>> WithFeedbackAsync(
        this DeliveryFeedbackLog feedback, IReadOnlyList<NotificationRecord> records, CancellationToken cancellationToken)
    {
        var ids = records.Select(r => r.SesMessageId).OfType<string>().Distinct().ToList();
        var statuses = await feedback.ForMessagesAsync(ids, cancellationToken);
        return records
            .Select(r => r.SesMessageId is { } id && statuses.Contains(id) ? r with { Deliveries = statuses[id].ToList() } : r)
            .ToList();
    }

    private static async Task<Ok<IReadOnlyList<BouncedAddress>>> ListBouncedAsync(DeliveryFeedbackLog feedback, CancellationToken cancellationToken) =>
        TypedResults.Ok(await feedback.FindFlaggedAsync(cancellationToken));

    /// <summary>Clears an address's bounce flag (its bounces stay in the log). 404 when it has none to clear.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> ClearAsync(
        string address, DeliveryFeedbackLog feedback, HttpContext http, CancellationToken cancellationToken)
    {
        var cleared = await feedback.ClearAsync(address, http.User.Identity?.Name ?? "operator", cancellationToken);
        return cleared > 0
            ? TypedResults.NoContent()
            : TypedResults.Problem(
                title: "No bounce to clear", detail: $"{SesFeedbackParser.Normalize(address)} has no uncleared bounce.", statusCode: StatusCodes.Status404NotFound);
    }
}
