using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.ApiSimulator;
using SurgiCase.ApiSimulator.Endpoints;
using SurgiCase.ApiSimulator.Faults;
using SurgiCase.ApiSimulator.Reports;
using SurgiCase.ApiSimulator.Webhooks;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wiring of the API simulator; tests host it with these calls and <c>UseApiDefaults</c> on a loopback port.</summary>
public static class SimulatorExtensions
{
    public static TBuilder AddApiSimulator<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // A local stand-in: its switches are open on purpose; report calls check the simulated API's own key (ApiKeyFilter).
        builder.AddApiDefaults(apiKeys: false);
        builder.Services.AddOptions<SimulatorOptions>().BindConfiguration(SimulatorOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>, SimulatorOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FaultState>();
        builder.Services.AddSingleton<RequestLog>();
        builder.Services.AddSingleton<FaultFilter>();
        builder.Services.AddSingleton<ApiKeyFilter>();
        builder.Services.AddSingleton<RequestLogFilter>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<IdempotencyFilter>();
        builder.Services.AddSingleton<WebhookInbox>();
        return builder;
    }

    public static WebApplication MapApiSimulatorEndpoints(this WebApplication app)
    {
        app.MapGet("/", Index);
        app.MapFaultEndpoints();
        app.MapReportEndpoints();
        app.MapSlackWebhookEndpoints();
        return app;
    }

    private static Ok<SimulatorIndex> Index() => TypedResults.Ok(new SimulatorIndex("api-simulator", "/faults", "/requests", "/webhooks/slack"));

    private sealed record SimulatorIndex(string Service, string Faults, string Requests, string Slack);
}
