using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SurgiCase.Operations.Jobs;
using SurgiCase.SchedulerService.Control;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>Jobs, run history and manual control. Reads need a known caller's API key; changes need the operator's.</summary>
internal static class SchedulerEndpoints
{
    private const int DefaultRunLimit = 20;
    private const int MaxRunLimit = 500;
    private const int RecentActions = 10;
    private const int DefaultFailedItemsLimit = 1_000;
    private const int MaxFailedItemsLimit = 10_000;
    private const string PausedManualRunNote = "The job is paused: this manual run goes ahead; scheduled runs stay skipped until it is resumed.";

    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        // The JSON API takes the X-Api-Key only, so a browser's page cookie can never drive it without an antiforgery token.
        var api = app.MapGroup("").RequireAuthorization(SchedulerAuthorization.ApiPolicy);
        var jobs = api.MapGroup("/jobs");
        jobs.MapGet("", ListJobsAsync);
        jobs.MapGet("/{id}", GetJobAsync);
        jobs.MapGet("/{id}/runs", ListRunsAsync);
        jobs.MapPost("/{id}/run", RunNowAsync).RequireAuthorization(ApiDefaultsExtensions.OperatorPolicy);
        jobs.MapPost("/{id}/pause", PauseAsync).RequireAuthorization(ApiDefaultsExtensions.OperatorPolicy);
        jobs.MapPost("/{id}/resume", ResumeAsync).RequireAuthorization(ApiDefaultsExtensions.OperatorPolicy);
        api.MapGet("/runs/{runId}", GetRunAsync);
        api.MapGet("/runs/{runId}/failed-items", ListFailedItemsAsync);
        return app;
    }

    private static async Task<Ok<List<JobSummary>>> ListJobsAsync(JobQueries queries, CancellationToken cancellationToken)
    {
        var jobs = await queries.ListAsync(cancellationToken);
        return TypedResults.Ok(jobs.Select(job =>
        {
            var d = job.Job.Definition;
            return new JobSummary(d.Id, d.Name, d.Cron, job.Job.TimeZone.Id, d.Scope, d.Enabled, d.Critical, job.NextRun, job.LastRun,
                job.Paused, job.State?.PausedBy, job.State?.PausedAt);
        }).ToList());
    }

    private static async Task<Results<Ok<JobDetails>, ProblemHttpResult>> GetJobAsync(
        string id, JobQueries queries, IOptions<SchedulerOptions> options, CancellationToken cancellationToken)
    {
        if (await queries.GetAsync(id, cancellationToken) is not { } job)
        {
            return UnknownJob(id);
        }

        var d = job.Job.Definition;
        return TypedResults.Ok(new JobDetails(d.Id, d.Name, d.EffectiveDisplayName, d.Cron, job.Job.TimeZone.Id, d.Scope, d.Enabled,
            d.Critical, d.Method.ToUpperInvariant(), d.Url, d.TimeoutSeconds, d.Retry, d.Troubleshooting, job.NextRun, job.LastRun,
            job.Paused, job.State?.PausedBy, job.State?.PausedAt, CronMath.GraceOf(d, options.Value),
            await queries.ActionsAsync(id, RecentActions, cancellationToken)));
    }

    private static async Task<Results<Ok<IReadOnlyList<RunRecord>>, ValidationProblem, ProblemHttpResult>> ListRunsAsync(
        string id, int? limit, JobQueries queries, CancellationToken cancellationToken)
    {
        if (queries.Find(id) is null)
        {
            return UnknownJob(id);
        }

        if (limit is < 1 or > MaxRunLimit)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["limit"] = [$"limit must be between 1 and {MaxRunLimit}."] });
        }

        return TypedResults.Ok(await queries.RunsAsync(id, limit ?? DefaultRunLimit, cancellationToken));
    }

    private static async Task<Results<Ok<RunRecord>, ProblemHttpResult>> GetRunAsync(
        string runId, JobQueries queries, CancellationToken cancellationToken) =>
        await queries.RunAsync(runId, cancellationToken) is { } run
            ? TypedResults.Ok(run)
            : TypedResults.Problem(title: "Run not found", detail: $"There is no run '{runId}'.", statusCode: StatusCodes.Status404NotFound);

    /// <summary>A page of a partial run's failed items (its alert lists the first 50): <c>?offset=0&amp;limit=1000</c>.</summary>
    private static async Task<Results<Ok<FailedItemsPage>, ValidationProblem, ProblemHttpResult>> ListFailedItemsAsync(
        string runId, int? offset, int? limit, JobQueries queries, CancellationToken cancellationToken)
    {
        if (offset is < 0 || limit is < 1 or > MaxFailedItemsLimit)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["limit"] = [$"offset must be 0 or more, and limit between 1 and {MaxFailedItemsLimit}."],
            });
        }

        if (await queries.RunAsync(runId, cancellationToken) is not { } run)
        {
            return TypedResults.Problem(title: "Run not found", detail: $"There is no run '{runId}'.", statusCode: StatusCodes.Status404NotFound);
        }

        var from = offset ?? 0;
        var items = await queries.FailedItemsAsync(runId, from, limit ?? DefaultFailedItemsLimit, cancellationToken);
        return TypedResults.Ok(new FailedItemsPage(run.RunId, run.FailedItemCount, from, items));
    }

    private static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> RunNowAsync(
        string id, HttpContext http, JobCommands commands, CancellationToken cancellationToken)
    {
        var result = await commands.RunNowAsync(id, http.User.Identity?.Name, cancellationToken);
        return result switch
        {
            { Outcome: JobCommandOutcome.Done, Run: { } run } =>
                TypedResults.Accepted($"/runs/{run.RunId}", new RunAccepted(run.RunId, run.JobId, run.Outcome, result.WasPaused ? PausedManualRunNote : null)),
            { Outcome: JobCommandOutcome.Disabled } => DisabledJob(id),
            { Outcome: JobCommandOutcome.QueueFull } =>
                TypedResults.Problem(title: "Too many runs waiting", detail: "Try again shortly.", statusCode: StatusCodes.Status503ServiceUnavailable),
            _ => UnknownJob(id),
        };
    }

    private static Task<Results<Ok<PauseState>, ProblemHttpResult>> PauseAsync(
        string id, HttpContext http, JobCommands commands, CancellationToken cancellationToken) =>
        SetPausedAsync(id, true, http, commands, cancellationToken);

    private static Task<Results<Ok<PauseState>, ProblemHttpResult>> ResumeAsync(
        string id, HttpContext http, JobCommands commands, CancellationToken cancellationToken) =>
        SetPausedAsync(id, false, http, commands, cancellationToken);

    private static async Task<Results<Ok<PauseState>, ProblemHttpResult>> SetPausedAsync(
        string id, bool pause, HttpContext http, JobCommands commands, CancellationToken cancellationToken)
    {
        var result = await commands.SetPausedAsync(id, pause, http.User.Identity?.Name ?? "unknown", cancellationToken);
        if (result.Outcome is JobCommandOutcome.UnknownJob)
        {
            return UnknownJob(id);
        }

        var note = pause
            ? "Scheduled runs are skipped while paused; a manual run (POST /jobs/" + id + "/run) is still allowed. A critical job is still reported as missed."
            : "Scheduled runs resume from the next fire time; fire times skipped while paused are not caught up.";
        var state = result.State;
        return TypedResults.Ok(new PauseState(id, state?.Paused == true, result.Changed, state?.PausedBy, state?.PausedAt, note));
    }

    private static ProblemHttpResult DisabledJob(string id) =>
        TypedResults.Problem(title: "Job disabled",
            detail: $"The job '{id}' is disabled in the configuration (Scheduler:Jobs); enable it there to run it.",
            statusCode: StatusCodes.Status409Conflict);

    private static ProblemHttpResult UnknownJob(string id) =>
        TypedResults.Problem(title: "Job not found", detail: $"There is no job '{id}'.", statusCode: StatusCodes.Status404NotFound);
}
