using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Components;
using SurgiCase.Operations.Components.Pages;
using SurgiCase.Operations.Jobs;
using SurgiCase.Operations.Panels;
using SurgiCase.Operations.Hosting;
using SurgiCase.Messaging;

namespace SurgiCase.Operations.Endpoints;

/// <summary>The page's routes: overview, job history, the three actions and alert previews (sign-in is in <see cref="SignInEndpoints"/>).</summary>
internal static class OperationsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("").RequireAuthorization(OperationsAuthentication.PagePolicy).ExcludeFromDescription();
        page.MapGet(OperationsRoutes.Overview, OverviewAsync);
        page.MapGet(OperationsRoutes.Prefix + "/jobs/{id}", JobAsync);
        page.MapPost(OperationsRoutes.Prefix + "/jobs/{id}/{action:regex(^(run|pause|resume)$)}", ActAsync).RequireAuthorization(OperationsAuthentication.OperatorPolicy);
        page.MapGet(OperationsRoutes.Prefix + "/runs/{runId}/failed-items.txt", FailedItemsTextAsync);
        page.MapGet(OperationsRoutes.Prefix + "/alerts/{id:long}/preview", AlertPreviewAsync);
        page.MapGet(OperationsRoutes.Prefix + "/alerts/{id:long}/preview/content", PreviewContentAsync);
        SignInEndpoints.Map(app, page);
        AcknowledgeEndpoints.Map(app, page);
        DeadLetterEndpoints.Map(page);
        TestAlertEndpoints.Map(page);
    }

    private static async Task<RazorComponentResult> OverviewAsync([AsParameters] PageRequest request, IJobOperations jobs,
        NotificationsClient notifications, SecretsCacheClient secrets, DeadLettersClient deadLetters, string? done, string? job, CancellationToken ct)
    {
        // The side panels are other services: ask them while reading the jobs.
        var alerts = notifications.RecentAsync(ct);
        var cache = secrets.CacheAsync(ct);
        var parked = deadLetters.ListAsync(ct);
        var list = await jobs.ListAsync(ct);
        return request.Render<OverviewPage>(new Dictionary<string, object?>
        {
            [nameof(OverviewPage.Page)] = request.Context(NoticeFor(done, job, jobs)),
            [nameof(OverviewPage.Jobs)] = list,
            [nameof(OverviewPage.Alerts)] = await alerts,
            [nameof(OverviewPage.Secrets)] = await cache,
            [nameof(OverviewPage.DeadLetters)] = await parked,
        });
    }

    private static async Task<Results<RazorComponentResult, ProblemHttpResult>> JobAsync(string id, [AsParameters] PageRequest request,
        IJobOperations jobs, string? done, CancellationToken ct)
    {
        if (await jobs.HistoryAsync(id, request.Settings.HistoryRuns, ct) is not { } history)
        {
            return UnknownJob(id);
        }

        return request.Render<JobHistoryPage>(new Dictionary<string, object?>
        {
            [nameof(JobHistoryPage.Page)] = request.Context(NoticeFor(done, id, jobs)),
            [nameof(JobHistoryPage.History)] = history,
        });
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> ActAsync(string id, string action, [AsParameters] PageRequest request,
        IJobOperations jobs, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(OperationsEndpoints).FullName!);
        if (await request.RejectWithoutAntiforgeryAsync(logger) is { } rejected)
        {
            return rejected;
        }

        var actor = OperatorSession.Actor(request.Http.User);
        var outcome = action == "run"
            ? await jobs.RunNowAsync(id, actor, ct)
            : await jobs.SetPausedAsync(id, action == "pause", actor, ct);
        switch (outcome)
        {
            case JobCommandOutcome.UnknownJob:
                return UnknownJob(id);
            case JobCommandOutcome.Disabled:
                return TypedResults.Problem(title: "Job disabled",
                    detail: $"The job '{id}' is disabled in the configuration; enable it there to run it.", statusCode: StatusCodes.Status409Conflict);
            case JobCommandOutcome.QueueFull:
                return TypedResults.Problem(title: "Too many runs waiting", detail: "Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        OperationsLog.JobActionTaken(logger, id, action, actor);
        var form = await request.Http.Request.ReadFormAsync(ct);
        var back = OperationsRoutes.LocalOrOverview(form["returnUrl"]);
        var separator = back.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return TypedResults.LocalRedirect($"{back}{separator}done={action}&job={Uri.EscapeDataString(id)}");
    }

    private static async Task<RazorComponentResult> AlertPreviewAsync(long id, [AsParameters] PageRequest request,
        NotificationsClient notifications, CancellationToken ct) =>
        request.Render<AlertPreviewPage>(new Dictionary<string, object?>
        {
            [nameof(AlertPreviewPage.Page)] = request.Context(),
            [nameof(AlertPreviewPage.Id)] = id,
            [nameof(AlertPreviewPage.Summary)] = await notifications.GetAsync(id, ct),
        });

    /// <summary>The email's own HTML for the sandboxed frame, under a CSP that forbids it script, network and forms.</summary>
    private static async Task<ContentHttpResult> PreviewContentAsync(long id, HttpContext http, NotificationsClient notifications, CancellationToken ct)
    {
        var preview = await notifications.PreviewAsync(id, ct);
        EmailPreviewSecurity.Apply(http.Response.Headers);
        return preview.Html is { } html
            ? TypedResults.Content(html, "text/html; charset=utf-8")
            : TypedResults.Content($"""<p style="font-family:sans-serif">Preview unavailable: {System.Net.WebUtility.HtmlEncode(preview.Problem)}</p>""",
                "text/html; charset=utf-8", statusCode: preview.StatusCode);
    }

    /// <summary>
    /// A run's failed items, one per line, read from the store a chunk at a time (a run keeps at most what an 8 MB answer
    /// held). Control characters, bidi controls and line separators become spaces (<see cref="ControlCharacters.Neutralize"/>),
    /// so an item can neither split into two lines, carry escapes nor show reordered; never sniffed as HTML, never cached.
    /// </summary>
    private static async Task<IResult> FailedItemsTextAsync(string runId, HttpContext http, IJobOperations jobs, CancellationToken ct)
    {
        const int Chunk = 5_000;
        var items = await jobs.FailedItemsAsync(runId, 0, Chunk, ct);
        if (items.Count == 0)
        {
            return TypedResults.Problem(title: "No failed items", detail: "This run kept no failed items.", statusCode: StatusCodes.Status404NotFound);
        }

        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"failed-items.txt\"";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "no-store";
        for (var offset = 0; items.Count > 0; offset += Chunk, items = await jobs.FailedItemsAsync(runId, offset, Chunk, ct))
        {
            var text = new System.Text.StringBuilder();
            foreach (var item in items)
            {
                text.Append(ControlCharacters.Neutralize(item)).Append('\n');
            }

            await http.Response.WriteAsync(text.ToString(), ct);
            if (items.Count < Chunk)
            {
                break;
            }
        }

        return TypedResults.Empty;
    }

    private static ProblemHttpResult UnknownJob(string id) =>
        TypedResults.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);

    // Fixed sentences for a fixed set of actions: nothing from the query string is echoed.
    private static string? NoticeFor(string? done, string? jobId, IJobOperations jobs)
    {
        switch (done)
        {
            case "acknowledged":
                return "Alert acknowledged: its reminders stop.";
            case "already-acknowledged":
                return "That alert was already acknowledged.";
            case "test-alert":
                return "Test alert sent: it is at the top of Recent alerts, with your name, and in the recipients' inboxes.";
            case "replayed":
                return "Dead letter replayed: it is back in the job-events queue (an alert already emailed is not sent again).";
            case "replayed-all":
                return "Dead letters replayed: they are back in the job-events queue (poison messages stay; alerts already emailed are not sent again).";
        }

        if (jobId is null || jobs.NameOf(jobId) is not { } name)
        {
            return null;
        }

        return done switch
        {
            "run" => $"Run now: {name} is queued.",
            "pause" => $"{name} is paused: scheduled runs are skipped until it is resumed.",
            "resume" => $"{name} is resumed: it runs again from its next fire time.",
            _ => null,
        };
    }
}
