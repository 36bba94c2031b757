using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Runs;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>Jobs, run history and manual control. Reads are open; changes need the operator's API key.</summary>
internal static class SchedulerEndpoints
{
    public const string OperatorPolicy = "operator";
    private const int DefaultRunLimit = 20;
    private const int MaxRunLimit = 500;

    public static void MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/jobs", async (JobCatalog catalog, IRunStore store, TimeProvider time, CancellationToken ct) =>
        {
            var now = time.GetUtcNow();
            var jobs = new List<JobSummary>();
            foreach (var job in catalog.All)
            {
                var last = (await store.ListForJobAsync(job.Id, 1, ct)).FirstOrDefault();
                var d = job.Definition;
                jobs.Add(new JobSummary(d.Id, d.Name, d.Cron, job.TimeZone.Id, d.Scope, d.Enabled, d.Critical,
                    d.Enabled ? job.NextFireAfter(now) : null, last));
            }

            return Results.Ok(jobs);
        });

        app.MapGet("/jobs/{id}", async (string id, JobCatalog catalog, IRunStore store, TimeProvider time, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } job)
            {
                return UnknownJob(id);
            }

            var d = job.Definition;
            var last = (await store.ListForJobAsync(job.Id, 1, ct)).FirstOrDefault();
            return Results.Ok(new JobDetails(d.Id, d.Name, d.EffectiveDisplayName, d.Cron, job.TimeZone.Id, d.Scope, d.Enabled,
                d.Critical, d.Method.ToUpperInvariant(), d.Url, d.TimeoutSeconds, d.Retry, d.Troubleshooting,
                d.Enabled ? job.NextFireAfter(time.GetUtcNow()) : null, last));
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

        app.MapPost("/jobs/{id}/run", async (string id, HttpContext http, JobCatalog catalog, RunQueue queue, CancellationToken ct) =>
        {
            if (catalog.Find(id) is not { } job)
            {
                return UnknownJob(id);
            }

            var run = await queue.EnqueueAsync(job.Definition, Triggers.Manual, http.User.Identity?.Name, ct);
            return run is null
                ? Results.Problem(title: "Too many runs waiting", detail: "Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable)
                : Results.Accepted($"/runs/{run.RunId}", new RunAccepted(run.RunId, run.JobId, run.Outcome));
        }).RequireAuthorization(OperatorPolicy);
    }

    private static IResult UnknownJob(string id) =>
        Results.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
