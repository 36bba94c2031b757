using System.Security.Claims;
using Amazon.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.NotificationService.DeadLetters;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Endpoints;

/// <summary>
/// The job-events DLQ without the AWS CLI (issue 19.4): what is in it, and replaying one message or all of them to the
/// queue. Reading is open to the operations page's read-only caller; replaying needs <see cref="ApiPolicies.ReplayDeadLetters"/>
/// (the operator's key, or the page acting for its signed-in person, who is named in <c>by</c>).
/// </summary>
internal static class DeadLetterEndpoints
{
    private const int MaxLimit = 100;

    public static IEndpointRouteBuilder MapDeadLetterEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/dead-letters");
        group.MapGet("/", ListAsync).RequireAuthorization(ApiPolicies.ReadOnly);
        group.MapGet("/replays", ReplaysAsync).RequireAuthorization(ApiPolicies.ReadOnly);
        group.MapPost("/replay-all", ReplayAllAsync).RequireAuthorization(ApiPolicies.ReplayDeadLetters);
        group.MapPost("/{id}/replay", ReplayAsync).RequireAuthorization(ApiPolicies.ReplayDeadLetters);
        return app;
    }

    /// <summary>
    /// The DLQ's first messages, oldest first. SQS has no peek: they are received (hidden for a moment) and given back at
    /// once, so a listing can briefly hide a message from a concurrent replay, never lose one.
    /// </summary>
    private static async Task<Results<Ok<DeadLetterList>, ProblemHttpResult>> ListAsync(
        DeadLetterReplayer replayer, ILoggerFactory loggers, CancellationToken cancellationToken, int limit = 50)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(title: "Invalid limit", detail: $"limit must be between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        return await OnSqs<DeadLetterList>(loggers, async () => TypedResults.Ok(await replayer.ListAsync(limit, cancellationToken)));
    }

    /// <summary>The audit: who replayed which event, and when, newest first.</summary>
    private static async Task<Results<Ok<IReadOnlyList<DeadLetterReplay>>, ProblemHttpResult>> ReplaysAsync(
        DeadLetterReplayLog log, CancellationToken cancellationToken, int limit = 50)
    {
        if (limit is < 1 or > 500)
        {
            return TypedResults.Problem(title: "Invalid limit", detail: "limit must be between 1 and 500.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await log.ListAsync(limit, cancellationToken));
    }

    /// <param name="id">The DLQ message id, or the event id (all of the event's copies: one is replayed, the rest deleted).</param>
    private static async Task<Results<Ok<ReplayReport>, ProblemHttpResult>> ReplayAsync(
        string id, ByRequest? request, ClaimsPrincipal user, DeadLetterReplayer replayer, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        await OnSqs<ReplayReport>(loggers, async () =>
        {
            var report = await replayer.ReplayAsync(id, OnBehalfOf.Actor(user, request), cancellationToken);
            return report switch
            {
                null => TypedResults.Problem(title: "Not in the dead-letter queue",
                    detail: "No dead-lettered message has that message id or event id (it may have been replayed already: see GET /dead-letters/replays).",
                    statusCode: StatusCodes.Status404NotFound),
                { Replayed.Count: 0 } => TypedResults.Problem(title: "Poison message",
                    detail: "That message can never be handled (unreadable, or a reused event id), so replaying it would only bring it back. Read it with the AWS CLI and delete it.",
                    statusCode: StatusCodes.Status409Conflict),
                _ => TypedResults.Ok(report),
            };
        });

    /// <summary>Everything but poison, up to <see cref="DeadLetterReplayer.MaxPerRequest"/> messages; <c>remaining</c> says what is left.</summary>
    private static async Task<Results<Ok<ReplayReport>, ProblemHttpResult>> ReplayAllAsync(
        ByRequest? request, ClaimsPrincipal user, DeadLetterReplayer replayer, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        await OnSqs<ReplayReport>(loggers, async () => TypedResults.Ok(await replayer.ReplayAllAsync(OnBehalfOf.Actor(user, request), cancellationToken)));

    private static async Task<Results<Ok<T>, ProblemHttpResult>> OnSqs<T>(ILoggerFactory loggers, Func<Task<Results<Ok<T>, ProblemHttpResult>>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is AmazonServiceException or HttpRequestException)
        {
            DeadLetterLog.SqsFailed(loggers.CreateLogger(typeof(DeadLetterEndpoints).FullName!), e.GetType().Name);
            return TypedResults.Problem(title: "SQS unavailable",
                detail: $"The dead-letter queue could not be read or changed ({e.GetType().Name}). Nothing was lost; try again shortly.",
                statusCode: StatusCodes.Status502BadGateway);
        }
    }
}
