using Microsoft.AspNetCore.Http.HttpResults;
using SurgiCase.ApiSimulator.Faults;

namespace SurgiCase.ApiSimulator.Reports;

/// <summary>
/// The SurgiCase API routes the scheduled jobs call, each succeeding unless a fault is switched on, and the log of the
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
        api.MapPost("/reports/provider-payment", Report("provider-payment", 42));
        api.MapPost("/reports/provider-payment-summary", Report("provider-payment-summary", 1));
        api.MapPost("/reports/referral", Report("referral", 17));
        api.MapPost("/reports/individual-provider", Report("individual-provider", 43));
        api.MapPost("/npi/update", Report("npi-update", 1250));
        api.MapPost("/maintenance/database-backup", Report("database-backup", 1));
        api.MapGet("/maintenance/pool-stats", Report("pool-stats", 1));

        // What the scheduler's automatic recovery probes (SurgiCaseApi:HealthPath): anonymous, produces nothing, and fails
        // like the report routes while a fault without a path (or with a path it matches) is switched on.
        app.MapGroup("/api").AddEndpointFilter<FaultFilter>().MapGet("/health", Health);

        var requests = app.MapGroup("/requests");
        requests.MapGet("/", ListRequests);
        requests.MapDelete("/", ClearRequests);
        return app;
    }

    /// <summary>The handler of one report route: all its items succeed.</summary>
    private static Func<TimeProvider, Ok<ReportResult>> Report(string name, int items) =>
        time => TypedResults.Ok(new ReportResult(items, 0, items, [], name, time.GetUtcNow()));

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
