using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using SurgiCase.Operations.Hosting;
using SurgiCase.Operations.Panels;

namespace SurgiCase.Operations.Endpoints;

/// <summary>
/// The dead-letter panel's buttons (issue 19.4): replay one message, or all of them, to the job-events queue through
/// NotificationService, in the signed-in person's name. Plain form posts with the antiforgery token, under the same page
/// authorization as the alerts' Acknowledge button.
/// </summary>
internal static class DeadLetterEndpoints
{
    public static void Map(RouteGroupBuilder page)
    {
        page.MapPost(OperationsRoutes.DeadLettersReplayAll, ReplayAllAsync).RequireAuthorization(OperationsAuthentication.OperatorPolicy);
        page.MapPost(OperationsRoutes.Prefix + "/dead-letters/{messageId}/replay", ReplayAsync).RequireAuthorization(OperationsAuthentication.OperatorPolicy);
    }

    private static Task<Results<RedirectHttpResult, ProblemHttpResult>> ReplayAsync(
        string messageId, [AsParameters] PageRequest request, DeadLettersClient deadLetters, ILoggerFactory loggers, CancellationToken ct) =>
        ActAsync(request, loggers, "replayed", (by, token) => deadLetters.ReplayAsync(messageId, by, token), ct);

    private static Task<Results<RedirectHttpResult, ProblemHttpResult>> ReplayAllAsync(
        [AsParameters] PageRequest request, DeadLettersClient deadLetters, ILoggerFactory loggers, CancellationToken ct) =>
        ActAsync(request, loggers, "replayed-all", deadLetters.ReplayAllAsync, ct);

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ActAsync(
        PageRequest request, ILoggerFactory loggers, string done, Func<string, CancellationToken, Task<ReplayAnswer>> replay, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(DeadLetterEndpoints).FullName!);
        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        var actor = OperatorSession.Actor(request.Http.User);
        var answer = await replay(actor, ct);
        if (!answer.Succeeded)
        {
            return TypedResults.Problem(title: answer.Title, detail: answer.Detail, statusCode: answer.StatusCode);
        }

        OperationsLog.DeadLettersReplayed(logger, actor, answer.Replayed, answer.SkippedPoison);
        return TypedResults.LocalRedirect($"{OperationsRoutes.Overview}?done={done}#dead-letters-panel");
    }
}
