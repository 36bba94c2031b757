using SurgiCase.ApiSimulator.Faults;

namespace SurgiCase.ApiSimulator.Reports;

/// <summary>The SurgiCase API routes the scheduled jobs call. Each succeeds unless a fault is switched on.</summary>
internal static class ReportEndpoints
{
    public static void MapReportEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .AddEndpointFilter<RequestLogFilter>()
            .AddEndpointFilter<ApiKeyFilter>()
            .AddEndpointFilter<FaultFilter>();

        api.MapPost("/reports/provider-payment", (TimeProvider time) => Report("provider-payment", 42, time));
        api.MapPost("/reports/provider-payment-summary", (TimeProvider time) => Report("provider-payment-summary", 1, time));
        api.MapPost("/reports/referral", (TimeProvider time) => Report("referral", 17, time));
        api.MapPost("/reports/individual-provider", (TimeProvider time) => Report("individual-provider", 43, time));
        api.MapPost("/npi/update", (TimeProvider time) => Report("npi-update", 1250, time));
        api.MapPost("/maintenance/database-backup", (TimeProvider time) => Report("database-backup", 1, time));
        api.MapGet("/maintenance/pool-stats", (TimeProvider time) => Report("pool-stats", 1, time));
    }

    private static IResult Report(string name, int items, TimeProvider time) =>
        Results.Ok(new ReportResult(items, 0, items, [], name, time.GetUtcNow()));
}
