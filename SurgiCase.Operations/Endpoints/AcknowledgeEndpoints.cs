using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using SurgiCase.Operations.Components.Pages;
using SurgiCase.Operations.Panels;
using SurgiCase.Operations.Hosting;

namespace SurgiCase.Operations.Endpoints;

/// <summary>
/// Acknowledging a critical alert (issue 11.3). From the email: <c>GET /ack/{token}</c> only shows the alert and a form
/// (mail scanners fetch links; a GET never acknowledges), and its <c>POST</c>, with the form's antiforgery token,
/// acknowledges through NotificationService, which alone can read the token. No sign-in: the person clicked a link in an
/// email sent to them. From the page: the alert's button, for the signed-in operator.
/// </summary>
internal static class AcknowledgeEndpoints
{
    private const string RedactedPath = OperationsRoutes.AcknowledgeLinkPrefix + "/{token}";

    public static void Map(IEndpointRouteBuilder app, RouteGroupBuilder page)
    {
        var open = app.MapGroup(OperationsRoutes.AcknowledgeLinkPrefix).AllowAnonymous().ExcludeFromDescription()
            .RequireRateLimiting(AcknowledgeLinkRateLimit.PolicyName);
        open.MapGet("/{token}", ShowAsync);
        open.MapPost("/{token}", AcknowledgeLinkAsync);
        page.MapPost(OperationsRoutes.Prefix + "/alerts/{id:long}/acknowledge", AcknowledgeByOperatorAsync).RequireAuthorization(OperationsAuthentication.OperatorPolicy);
    }

    private static async Task<RazorComponentResult> ShowAsync(string token, [AsParameters] PageRequest request, NotificationsClient notifications, CancellationToken ct)
    {
        AsLinkVisitor(request);
        var answer = await notifications.LookUpLinkAsync(token, ct);
        var state = answer switch
        {
            { Succeeded: true, Alert.AcknowledgedAt: not null } => AcknowledgePage.States.AlreadyAcknowledged,
            { Succeeded: true } => AcknowledgePage.States.Confirm,
            _ => AcknowledgePage.States.Problem,
        };
        return Render(request, token, answer, state);
    }

    private static async Task<Results<RazorComponentResult, ProblemHttpResult>> AcknowledgeLinkAsync(
        string token, [AsParameters] PageRequest request, NotificationsClient notifications, ILoggerFactory loggers, CancellationToken ct)
    {
        // A person signed in to the page who acknowledges through the link is recorded by name; anyone else as a recipient.
        var user = request.Http.User;
        var signedIn = user.Identity is { IsAuthenticated: true, AuthenticationType: OperationsAuthentication.CookieScheme } ? OperatorSession.Actor(user) : null;
        AsLinkVisitor(request);
        if (await request.RejectWithoutAntiforgeryAsync(loggers.CreateLogger(typeof(AcknowledgeEndpoints).FullName!), RedactedPath) is { } rejected)
        {
            return rejected;
        }

        var answer = await notifications.AcknowledgeLinkAsync(token, signedIn, ct);
        var state = answer.Succeeded ? AcknowledgePage.States.Acknowledged
            : answer.StatusCode == StatusCodes.Status409Conflict ? AcknowledgePage.States.AlreadyAcknowledged
            : AcknowledgePage.States.Problem;
        return Render(request, token, answer, state);
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> AcknowledgeByOperatorAsync(
        long id, [AsParameters] PageRequest request, NotificationsClient notifications, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(AcknowledgeEndpoints).FullName!);
        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        var actor = OperatorSession.Actor(request.Http.User);
        var answer = await notifications.AcknowledgeAsync(id, actor, ct);
        if (!answer.Succeeded && answer.StatusCode != StatusCodes.Status409Conflict)
        {
            return TypedResults.Problem(title: answer.Title, detail: answer.Detail, statusCode: answer.StatusCode);
        }

        OperationsLog.AlertAcknowledged(logger, id, actor);
        var form = await request.Http.Request.ReadFormAsync(ct);
        var back = OperationsRoutes.LocalOrOverview(form["returnUrl"]);
        var separator = back.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var done = answer.Succeeded ? "acknowledged" : "already-acknowledged";
        return TypedResults.LocalRedirect($"{back}{separator}done={done}#alerts-panel");
    }

    /// <summary>
    /// The link's pages act for whoever holds the link, never for a session: whatever session cookie comes with the GET
    /// (a click from a mail client sends the Lax cookie, a scanner sends none) and the POST, both antiforgery tokens are
    /// made and checked for the anonymous user, so they always match.
    /// </summary>
    private static void AsLinkVisitor(PageRequest request) => request.Http.User = new ClaimsPrincipal(new ClaimsIdentity());

    private static RazorComponentResult Render(PageRequest request, string token, AcknowledgeAnswer answer, AcknowledgePage.States state) =>
        request.Render<AcknowledgePage>(new Dictionary<string, object?>
        {
            [nameof(AcknowledgePage.Page)] = request.Context(),
            [nameof(AcknowledgePage.Token)] = token,
            [nameof(AcknowledgePage.Answer)] = answer,
            [nameof(AcknowledgePage.State)] = state,
        }, state == AcknowledgePage.States.Problem ? answer.StatusCode : StatusCodes.Status200OK);
}
