using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Endpoints;

/// <summary>
/// Acknowledging a critical alert (issue 11.3): with the emailed link's token (the operations page passes it on for the
/// person who clicked it), or by id for a signed-in operator. The token travels in the body, never in a URL here, so no
/// request log holds it. Reading what a token points at is allowed to the read-only caller; acknowledging needs
/// <see cref="ApiPolicies.Acknowledge"/>.
/// </summary>
internal static class AcknowledgementEndpoints
{
    /// <summary>
    /// Who acknowledged, when it was done with the emailed link. One link per alert (the email goes to all recipients
    /// at once), so the log says it was one of them, not which.
    /// </summary>
    public const string ViaEmailLink = "a recipient of the email (acknowledge link)";

    public static IEndpointRouteBuilder MapAcknowledgementEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/notifications");
        group.MapPost("/acknowledgements/lookup", LookupAsync).RequireAuthorization(ApiPolicies.ReadOnly);
        group.MapPost("/acknowledgements", AcknowledgeWithTokenAsync).RequireAuthorization(ApiPolicies.Acknowledge);
        group.MapPost("/{id:long}/acknowledge", AcknowledgeByIdAsync).RequireAuthorization(ApiPolicies.Acknowledge);
        return app;
    }

    /// <summary>What the link points at, for the confirmation page: changes nothing.</summary>
    private static async Task<Results<Ok<NotificationRecord>, ProblemHttpResult>> LookupAsync(
        TokenRequest request, AcknowledgeTokens tokens, IDeliveryLog log, CancellationToken cancellationToken)
    {
        var check = tokens.Read(request.Token);
        if (check.Status != TokenStatus.Valid)
        {
            return TokenProblem(check);
        }

        return await log.GetAsync(check.AlertId, cancellationToken) is { } record ? TypedResults.Ok(record) : NotFound(check.AlertId);
    }

    /// <summary>
    /// The emailed link. When the person who opened it is signed in to the operations page, the page names them in
    /// <c>by</c> and they are recorded; otherwise it was one of the email's recipients.
    /// </summary>
    private static async Task<Results<Ok<NotificationRecord>, ProblemHttpResult>> AcknowledgeWithTokenAsync(
        TokenRequest request, ClaimsPrincipal user, AcknowledgeTokens tokens, IAcknowledgementLog log, TimeProvider time, ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        var check = tokens.Read(request.Token);
        if (check.Status != TokenStatus.Valid)
        {
            AcknowledgementLog.TokenRejected(loggers.CreateLogger(typeof(AcknowledgementEndpoints).FullName!), check.Status);
            return TokenProblem(check);
        }

        var by = user.Identity?.Name == ApiCallers.OperationsPage && OnBehalfOf.Clean(request.By) is { } person ? $"{person} (acknowledge link)" : ViaEmailLink;
        return Answer(await log.AcknowledgeAsync(check.AlertId, by, time.GetUtcNow(), cancellationToken), check.AlertId, loggers);
    }

    /// <summary>
    /// The operations page's button: the page's caller names the signed-in person in <c>by</c>. An operator calling with
    /// their own key is recorded as the caller.
    /// </summary>
    private static async Task<Results<Ok<NotificationRecord>, ProblemHttpResult>> AcknowledgeByIdAsync(
        long id, ByRequest? request, ClaimsPrincipal user, IAcknowledgementLog log, TimeProvider time, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var by = OnBehalfOf.Actor(user, request);
        return Answer(await log.AcknowledgeAsync(id, by, time.GetUtcNow(), cancellationToken), id, loggers);
    }

    private static Results<Ok<NotificationRecord>, ProblemHttpResult> Answer(AcknowledgeResult result, long id, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AcknowledgementEndpoints).FullName!);
        switch (result.Outcome)
        {
            case AcknowledgeOutcome.Acknowledged:
                AcknowledgementLog.Acknowledged(logger, id, result.Record!.JobName, result.Record.AcknowledgedBy ?? "");
                return TypedResults.Ok(result.Record);
            case AcknowledgeOutcome.AlreadyAcknowledged:
                var record = result.Record!;
                return TypedResults.Problem(
                    title: "Already acknowledged",
                    detail: $"This alert was already acknowledged by {record.AcknowledgedBy} at {EmailRenderer.Utc(record.AcknowledgedAt!.Value)}.",
                    statusCode: StatusCodes.Status409Conflict,
                    extensions: new Dictionary<string, object?>
                    {
                        ["acknowledgedBy"] = record.AcknowledgedBy, ["acknowledgedAt"] = record.AcknowledgedAt, ["jobName"] = record.JobName,
                    });
            case AcknowledgeOutcome.NotAcknowledgeable:
                return TypedResults.Problem(title: "Not acknowledgeable",
                    detail: $"Notification {id} is not a critical job alert; only those are acknowledged.", statusCode: StatusCodes.Status409Conflict);
            default:
                return NotFound(id);
        }
    }

    private static ProblemHttpResult TokenProblem(TokenCheck check) => check.Status == TokenStatus.Expired
        ? TypedResults.Problem(title: "Link expired",
            detail: $"This acknowledge link expired at {EmailRenderer.Utc(check.ExpiresAt)}. Acknowledge the alert on the operations page instead.",
            statusCode: StatusCodes.Status410Gone)
        : TypedResults.Problem(title: "Invalid link",
            detail: "This acknowledge link is not valid (it may have been cut off or changed). Acknowledge the alert on the operations page instead.",
            statusCode: StatusCodes.Status400BadRequest);

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(title: "Notification not found", detail: $"No notification has id {id}.", statusCode: StatusCodes.Status404NotFound);

    /// <param name="By">With the link's acknowledgement: the person signed in to the operations page, if any.</param>
    internal sealed record TokenRequest(string? Token, string? By = null);
}

internal static partial class AcknowledgementLog
{
    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Critical alert {AlertId} for {JobName} acknowledged by {AcknowledgedBy}; its reminders stop")]
    public static partial void Acknowledged(ILogger logger, long alertId, string jobName, string acknowledgedBy);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Acknowledge link rejected: {Status}")]
    public static partial void TokenRejected(ILogger logger, TokenStatus status);
}
