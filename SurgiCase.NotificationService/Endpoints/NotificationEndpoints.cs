using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Endpoints;

/// <summary>The operator's view of the delivery log, and the seed's "Step 2: Test the Notification System".</summary>
internal static class NotificationEndpoints
{
    private const int MaxLimit = 500;

    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder app)
    {
        // Reading the log is open to the operations page's read-only caller; the test alert to the operator and to the page
        // acting for its signed-in person (issue 18), who is recorded as its sender.
        var group = app.MapGroup("/notifications").RequireAuthorization(ApiPolicies.ReadOnly);
        group.MapGet("/", ListAsync);
        group.MapGet("/{id:long}", GetAsync);
        group.MapGet("/{id:long}/preview", PreviewAsync);
        group.MapPost("/test", SendTestAsync).RequireAuthorization(ApiPolicies.SendTestAlert);
        group.MapFeedbackEndpoints();
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<NotificationRecord>>, ProblemHttpResult>> ListAsync(
        IDeliveryLog log, DeliveryFeedbackLog feedback, CancellationToken cancellationToken, int limit = 50)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return TypedResults.Problem(
                title: "Invalid limit", detail: $"limit must be between 1 and {MaxLimit}.", statusCode: StatusCodes.Status400BadRequest);
        }

        return TypedResults.Ok(await feedback.WithFeedbackAsync(await log.ListAsync(limit, cancellationToken), cancellationToken));
    }

    private static async Task<Results<Ok<NotificationRecord>, ProblemHttpResult>> GetAsync(
        long id, IDeliveryLog log, DeliveryFeedbackLog feedback, CancellationToken cancellationToken) =>
        await log.GetAsync(id, cancellationToken) is { } record
            ? TypedResults.Ok((await feedback.WithFeedbackAsync([record], cancellationToken))[0])
            : NotFound(id);

    /// <summary>The email's HTML under the same CSP as the operations page's preview: it quotes a job's error text.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> PreviewAsync(
        long id, IDeliveryLog log, HttpContext http, CancellationToken cancellationToken)
    {
        if (await log.GetHtmlAsync(id, cancellationToken) is not { } html)
        {
            return NotFound(id);
        }

        EmailPreviewSecurity.Apply(http.Response.Headers);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// Sends a real alert through the whole pipeline (recipients, render, SES, fallback, log), in the name of whoever asked:
    /// the email says so, and the log's <c>requestedBy</c> records it.
    /// </summary>
    private static async Task<Results<Ok<NotificationRecord>, ProblemHttpResult>> SendTestAsync(
        ByRequest? request, ClaimsPrincipal user, NotificationDispatcher dispatcher, IDeliveryLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var requestedBy = OnBehalfOf.Actor(user, request);
        var testEvent = new JobFailed(
            EventId: $"test-{Guid.NewGuid():N}",
            OccurredAt: now,
            JobId: "test-job",
            JobName: "Test Job",
            RunId: $"test-run-{now:yyyyMMddHHmmss}",
            Host: Environment.MachineName,
            Trigger: Triggers.Test,
            Attempt: 1,
            ErrorKind: ErrorKinds.Unexpected,
            ErrorMessage: "This is a test notification",
            Details: new Dictionary<string, string> { ["Test"] = "Configuration", ["Requested by"] = requestedBy });

        var result = await dispatcher.DispatchAsync(testEvent, cancellationToken);
        if (result.NotificationId > 0)
        {
            // After the send, whatever became of it: the email already names the person, and a cancelled request must not
            // leave the row nameless.
            await log.RecordRequesterAsync(result.NotificationId, requestedBy, CancellationToken.None);
        }

        var record = await log.GetAsync(result.NotificationId, cancellationToken);
        if (result.Outcome is DispatchOutcome.Sent && record is not null)
        {
            return TypedResults.Ok(record);
        }

        return TypedResults.Problem(
            title: result.Outcome == DispatchOutcome.FallbackSent ? "Email failed; the fallback webhook got the test alert" : "The test alert was not delivered",
            detail: result.Error,
            statusCode: StatusCodes.Status502BadGateway,
            extensions: new Dictionary<string, object?> { ["notificationId"] = result.NotificationId, ["outcome"] = result.Outcome.ToString() });
    }

    private static ProblemHttpResult NotFound(long id) =>
        TypedResults.Problem(title: "Notification not found", detail: $"No notification has id {id}.", statusCode: StatusCodes.Status404NotFound);
}
