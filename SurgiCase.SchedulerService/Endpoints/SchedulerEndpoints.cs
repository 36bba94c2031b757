using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>Jobs, run history and manual control. Reads need a known caller's API key (see MapSchedulerEndpoints); changes need the operator's.</summary>
internal static class SchedulerEndpoints
{
    public const string OperatorPolicy = "operator";
    private const int DefaultRunLimit = 20;
    private const int MaxRunLimit = 500;
    private const string PausedManualRunNote = "The job is paused: this manual run goes ahead; scheduled runs stay skipped until it is resumed.";

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", async (JobCatalog catalog, IRunStore store, IJobStateStore states, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var all = await states.ListAsync(ct);
            var jobs = new List<JobSummary>();
            foreach (var job in catalog.All)
            {
                var last = (await store.ListForJobAsync(job.Id, 1, ct)).FirstOrDefault();
                var d = job.Definition;
                var state = all.GetValueOrDefault(job.Id);
                var paused = state?.Paused == true;
                jobs.Add(new JobSummary(d.Id, d.Name, d.Cron, job.TimeZone.Id, d.Scope, d.Enabled, d.Critical,
                    d.Enabled && !paused ? job.NextFireAfter(now) : null, last, paused, state?.PausedBy, state?.PausedAt));
            }

            return Results.Ok(jobs);
        });

        app.MapGet("/jobs/{id}", async (string id, JobCatalog catalog, IRunStore store, IJobStateStore states,
            IOptions<SchedulerOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } job)
            {
                return UnknownJob(id);
            }

            var d = job.Definition;
            var last = (await store.ListForJobAsync(job.Id, 1, ct)).FirstOrDefault();
            var state = await states.GetAsync(job.Id, ct);
            var paused = state?.Paused == true;
            return Results.Ok(new JobDetails(d.Id, d.Name, d.EffectiveDisplayName, d.Cron, job.TimeZone.Id, d.Scope, d.Enabled,
                d.Critical, d.Method.ToUpperInvariant(), d.Url, d.TimeoutSeconds, d.Retry, d.Troubleshooting,
                d.Enabled && !paused ? job.NextFireAfter(time.GetUtcNow()) : null, last, paused, state?.PausedBy, state?.PausedAt,
                CronMath.GraceOf(d, options.Value), await states.ListActionsAsync(job.Id, 10, ct)));
        });

        app.MapGet("/jobs/{id}/runs", async (string id, int? limit, JobCatalog catalog, IRunStore store, CancellationToken ct) =>
        {
            if (catalog.Find(id) is null)
            {
                return UnknownJob(id);
            }

            if (limit is < 1 or > MaxRunLimit)
            {
                return Results.ValidationProblem(
                    new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxRunLimit}."] });
            }

            return Results.Ok(await store.ListForJobAsync(id, limit ?? DefaultRunLimit, ct));
        });

        app.MapGet("/runs/{runId}", async (string runId, IRunStore store, CancellationToken ct) =>
            await store.GetAsync(runId, ct) is { } run
                ? Results.Ok(run)
                : Results.Problem(title: "Run not found", detail: $"There is no run '{runId}'.", statusCode: StatusCodes.Status404NotFound));

        app.MapPost("/jobs/{id}/run", async (string id, HttpContext http, JobCatalog catalog, RunQueue queue, IJobStateStore states, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } job)
            {
                return UnknownJob(id);
            }

            if (!job.Definition.Enabled)
            {
                return DisabledJob(id);
            }

            var paused = (await states.GetAsync(id, ct))?.Paused == true;
            var run = await queue.EnqueueAsync(job.Definition, Triggers.Manual, http.User.Identity?.Name, ct);
            return run is null
                ? Results.Problem(title: "Too many runs waiting", detail: "Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Accepted($"/runs/{run.RunId}", new RunAccepted(run.RunId, run.JobId, run.Outcome, paused ? PausedManualRunNote : null));
        }).RequireAuthorization(OperatorPolicy);

        app.MapPost("/jobs/{id}/pause", (string id, HttpContext http, JobCatalog catalog, IJobStateStore states, TimeProvider time,
            ILoggerFactory loggers, CancellationToken ct) => SetPausedAsync(id, true, http, catalog, states, time, loggers, ct))
            .RequireAuthorization(OperatorPolicy);

        app.MapPost("/jobs/{id}/resume", (string id, HttpContext http, JobCatalog catalog, IJobStateStore states, TimeProvider time,
            ILoggerFactory loggers, CancellationToken ct) => SetPausedAsync(id, false, http, catalog, states, time, loggers, ct))
            .RequireAuthorization(OperatorPolicy);
    }

    private static async Task<IResult> SetPausedAsync(string id, bool pause, HttpContext http, JobCatalog catalog, IJobStateStore states,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        if (catalog.Find(id) is null)
        {
            return UnknownJob(id);
        }

        var actor = http.User.Identity?.Name ?? "unknown";
        var changed = await states.SetPausedAsync(id, pause, actor, time.GetUtcNow(), ct);
        var state = await states.GetAsync(id, ct);
        if (changed)
        {
            SchedulerLog.JobPauseChanged(loggers.CreateLogger(typeof(SchedulerEndpoints).FullName!), id, pause ? "paused" : "resumed", actor);
        }

        var note = pause
            ? "Scheduled runs are skipped while paused; a manual run (POST /jobs/" + id + "/run) is still allowed. A critical job is still reported as missed."
            : "Scheduled runs resume from the next fire time; fire times skipped while paused are not caught up.";
        return Results.Ok(new PauseState(id, state?.Paused == true, changed, state?.PausedBy, state?.PausedAt, note));
    }

    /// <summary>A disabled job is switched off in the configuration; running it by hand would bypass that decision.</summary>
    internal static IResult DisabledJob(string id) =>
        Results.Problem(title: "Job disabled",
            detail: $"The job '{id}' is disabled in the configuration (Scheduler:Jobs); enable it there to run it.",
            statusCode: StatusCodes.Status409Conflict);

    private static IResult UnknownJob(string id) =>
        Results.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
