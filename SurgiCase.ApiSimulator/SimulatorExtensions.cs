using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.ApiSimulator;
using SurgiCase.ApiSimulator.Faults;
using SurgiCase.ApiSimulator.Reports;
using SurgiCase.ApiSimulator.Webhooks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wiring of the API simulator; tests host it with these two calls on a loopback port.</summary>
public static class SimulatorExtensions
{
    public static TBuilder AddApiSimulator<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultState>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<FaultFilter>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<RequestLogFilter>();
        builder.Services.AddSingleton<WebhookInbox>();
        return builder;
    }

    public static WebApplication MapApiSimulatorEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapGet("/", () => Results.Ok(new { service = "api-simulator", faults = "/faults", requests = "/requests", slack = "/webhooks/slack" }));
        app.MapFaultEndpoints();
        app.MapReportEndpoints();
        app.MapSlackWebhookEndpoints();
        return app;
    }
}
