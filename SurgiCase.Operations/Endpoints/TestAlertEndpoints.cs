using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.Operations.Hosting;
using SurgiCase.Operations.Panels;

namespace SurgiCase.Operations.Endpoints;

/// <summary>
/// The alerts panel's "Send test alert" button (the seed's "Step 2: Test the Notification System", issue 18): a real
/// alert through NotificationService's whole pipeline, sent and recorded in the signed-in operator's name. A plain form
/// post with the antiforgery token, under the same authorization as the other buttons.
/// </summary>
internal static class TestAlertEndpoints
{
    public static void Map(RouteGroupBuilder page) =>
        page.MapPost(OperationsRoutes.TestAlert, SendAsync).RequireAuthorization(OperationsAuthentication.OperatorPolicy);

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> SendAsync(
        [AsParameters] PageRequest request, NotificationsClient notifications, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(TestAlertEndpoints).FullName!);
        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        var actor = OperatorSession.Actor(request.Http.User);
        var answer = await notifications.SendTestAlertAsync(actor, ct);
        if (!answer.Succeeded)
        {
            return TypedResults.Problem(title: answer.Title, detail: answer.Detail, statusCode: answer.StatusCode);
        }

        OperationsLog.TestAlertSent(logger, answer.Alert!.Id, actor);
        return TypedResults.LocalRedirect($"{OperationsRoutes.Overview}?done=test-alert#alerts-panel");
    }
}
