using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.OperationsPage;

/// <summary>The page's routes: overview, job history, the three actions, alert previews, sign-in and sign-out.</summary>
internal static class OperationsEndpoints
{
    private const string PageSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static void MapOperationsPageEndpoints(this IEndpointRouteBuilder app)
    {
        var page = app.MapGroup("").RequireAuthorization(OperationsAuthentication.PagePolicy).ExcludeFromDescription();
        page.MapGet(OperationsRoutes.Overview, OverviewAsync);
        page.MapGet(OperationsRoutes.Prefix + "/jobs/{id}", JobAsync);
        page.MapPost(OperationsRoutes.Prefix + "/jobs/{id}/{action:regex(^(run|pause|resume)$)}", ActAsync);
        page.MapGet(OperationsRoutes.Prefix + "/alerts/{id:long}/preview", async (long id, HttpContext http, NotificationsPanel notifications,
            IAntiforgery antiforgery, IOptions<OperationsOptions> options, TimeProvider time, CancellationToken ct) =>
            Page(http, AlertPreviewPage.Render(Context(http, antiforgery, options, time), id, await notifications.GetAsync(id, ct))));
        page.MapGet(OperationsRoutes.Prefix + "/alerts/{id:long}/preview/content", PreviewContentAsync);

        SignInEndpoints.Map(app, page);
        OperationsAssets.Map(app);
    }

    private static async Task<IResult> OverviewAsync(HttpContext http, OperationsData data, NotificationsPanel notifications, SecretsPanel secrets,
        JobCatalog catalog, IAntiforgery antiforgery, IOptions<OperationsOptions> options, TimeProvider time, string? done, string? job, CancellationToken ct)
    {
        // The two side panels are other services: ask them while reading our own stores.
        var alerts = notifications.RecentAsync(ct);
        var cache = secrets.CacheAsync(ct);
        var jobs = await data.JobsAsync(ct);
        var context = Context(http, antiforgery, options, time) with { Notice = NoticeFor(done, job, catalog) };
        return Page(http, OverviewPage.Render(context, jobs, await alerts, await cache));
    }

    private static async Task<IResult> JobAsync(string id, HttpContext http, OperationsData data, JobCatalog catalog, IAntiforgery antiforgery,
        IOptions<OperationsOptions> options, TimeProvider time, string? done, CancellationToken ct)
    {
        if (await data.HistoryAsync(id, ct) is not { } history)
        {
            return Results.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var context = Context(http, antiforgery, options, time) with { Notice = NoticeFor(done, id, catalog) };
        return Page(http, JobHistoryPage.Render(context, history));
    }

    private static async Task<IResult> ActAsync(string id, string action, HttpContext http, IAntiforgery antiforgery, JobCatalog catalog,
        RunQueue queue, IJobStateStore states, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(OperationsEndpoints).FullName!);
        if (await RejectWithoutAntiforgeryAsync(http, antiforgery, logger) is { } rejected)
        {
            return rejected;
        }

        if (catalog.Find(id) is not { } job)
        {
            return Results.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var actor = http.User.Identity?.Name ?? OperationsAuthentication.OperatorCaller;
        if (action == "run")
        {
            if (!job.Definition.Enabled)
            {
                return Endpoints.SchedulerEndpoints.DisabledJob(id);
            }

            if (await queue.EnqueueAsync(job.Definition, Triggers.Manual, actor, ct) is null)
            {
                return Results.Problem(title: "Too many runs waiting", detail: "Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }
        else
        {
            await states.SetPausedAsync(id, action == "pause", actor, time.GetUtcNow(), ct);
        }

        OperationsLog.JobActionTaken(logger, id, action, actor);
        var form = await http.Request.ReadFormAsync(ct);
        var back = OperationsRoutes.LocalOrOverview(form["returnUrl"]);
        var separator = back.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.LocalRedirect($"{back}{separator}done={action}&job={Uri.EscapeDataString(id)}");
    }

    private static async Task<IResult> PreviewContentAsync(long id, HttpContext http, NotificationsPanel notifications, CancellationToken ct)
    {
        var (html, status, problem) = await notifications.PreviewAsync(id, ct);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = AlertPreviewPage.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "SAMEORIGIN";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return html is null
            ? Results.Content(H.Of($"""<p style="font-family:sans-serif">Preview unavailable: {problem}</p>""").Value, "text/html; charset=utf-8", statusCode: (int)status)
            : Results.Content(html, "text/html; charset=utf-8");
    }

    internal static PageContext Context(HttpContext http, IAntiforgery antiforgery, IOptions<OperationsOptions> options, TimeProvider time)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var field = H.Of($"""<input type="hidden" name="{tokens.FormFieldName}" value="{tokens.RequestToken}">""");
        return new PageContext(time.GetUtcNow(), field, http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name : null, options.Value);
    }

    internal static IResult Page(HttpContext http, string html, int statusCode = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = PageSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>Null when the form carries a valid antiforgery token; else the 400 to answer.</summary>
    internal static async Task<IResult?> RejectWithoutAntiforgeryAsync(HttpContext http, IAntiforgery antiforgery, ILogger logger)
    {
        try
        {
            await antiforgery.ValidateRequestAsync(http);
            return null;
        }
        catch (AntiforgeryValidationException)
        {
            OperationsLog.AntiforgeryRejected(logger, http.Request.Method, http.Request.Path);
            return Results.Problem(title: "Invalid antiforgery token",
                detail: "The form was not sent by this page (or has expired). Reload the page and try again.", statusCode: StatusCodes.Status400BadRequest);
        }
    }

    // Fixed sentences for a fixed set of actions: nothing from the query string is echoed.
    private static string? NoticeFor(string? done, string? jobId, JobCatalog catalog)
    {
        if (jobId is null || catalog.Find(jobId) is not { } job)
        {
            return null;
        }

        return done switch
        {
            "run" => $"Run now: {job.Definition.Name} is queued.",
            "pause" => $"{job.Definition.Name} is paused: scheduled runs are skipped until it is resumed.",
            "resume" => $"{job.Definition.Name} is resumed: it runs again from its next fire time.",
            _ => null,
        };
    }
}
