using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.ApiSimulator.Faults;
using SurgiCase.ApiSimulator.Reports;

namespace SurgiCase.ApiSimulator.Endpoints;

/// <summary>
/// The SurgiCase API routes the scheduled jobs call (<see cref="ConfiguredReports"/>), each succeeding unless a fault is switched on, and the log of the
/// calls received (<c>/requests</c>) so a test or an operator can see what a job actually sent, and the API's health
/// (<c>GET /api/health</c>).
/// </summary>
internal static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .AddEndpointFilter<RequestLogFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<IdempotencyFilter>()
            .AddEndpointFilter<FaultFilter>();
        foreach (var route in ConfiguredReports.Read(app.ServiceProvider.GetRequiredService<IConfiguration>()))
        {
            api.MapMethods(route.Path[(ConfiguredReports.PathPrefix.Length - 1)..], [route.Method], Report(route.JobId, ReportItems));
        }

        // A path no configured job calls is a 404 that says so, as the real API would refuse it, outside the filters so
        // it is neither logged as a report call nor failed by a fault.
        app.MapFallback(ConfiguredReports.PathPrefix + "{**path}", UnknownReport);

        // What the scheduler's automatic recovery probes (SurgiCaseApi:HealthPath): anonymous, produces nothing, and fails
        // like the report routes while a fault without a path (or with a path it matches) is switched on.
        app.MapGroup("/api").AddEndpointFilter<FaultFilter>().MapGet("/health", Health);

        var requests = app.MapGroup("/requests");
        requests.MapGet("/", ListRequests);
        requests.MapDelete("/", ClearRequests);
        return app;
    }

    /// <summary>How many items a report produces when no fault is on.</summary>
    private const int ReportItems = 42;

    /// <summary>The handler of one report route: all its items succeed.</summary>
    private static Func<TimeProvider, Ok<ReportResult>> Report(string name, int items) =>
        time => TypedResults.Ok(new ReportResult(items, 0, items, [], name, time.GetUtcNow()));

    private static ProblemHttpResult UnknownReport(HttpRequest request) =>
        TypedResults.Problem(title: "No such report",
            detail: $"No job in {ConfiguredReports.SectionName} calls {request.Method} {request.Path}: add the job to the scheduler's configuration and the simulator serves it.",
            statusCode: StatusCodes.Status404NotFound);

    private static Ok<SimulatedApiHealth> Health() => TypedResults.Ok(new SimulatedApiHealth("Healthy"));

    private sealed record SimulatedApiHealth(string Status);

    private static Ok<IReadOnlyList<ReceivedRequest>> ListRequests(RequestLog log) => TypedResults.Ok(log.Snapshot());

    private static NoContent ClearRequests(RequestLog log, IdempotencyStore idempotency)
    {
        log.Clear();
        idempotency.Clear();
        return TypedResults.NoContent();
    }
}
