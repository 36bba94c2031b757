using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service defaults in the shape of the Aspire template: telemetry, health checks and service discovery. Every
/// SurgiCase service calls <see cref="AddServiceDefaults{TBuilder}"/> first. No HTTP resilience handler is added to
/// every client: each client's caller knows whether a retry is safe (an email, a 5-minute report call, a secret with a
/// stale copy to fall back on), so a client that wants one adds it itself.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>ActivitySource and Meter names of the SurgiCase libraries, exported with the rest.</summary>
    public const string TelemetryPrefix = "SurgiCase.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // Container behaviour: one-line configuration errors, JSON logs in Production, a bounded drain on SIGTERM.
        StartupFailure.ExitCleanlyOnConfigurationErrors();
        ContainerLogging.UseJsonConsoleInProduction(builder);
        // Secret path segments (an acknowledge link's token) masked in every log record, scope and HTTP span.
        RedactionExtensions.AddSecretPathRedaction(builder.Services);
        GracefulShutdown.AddGracefulShutdown(builder.Services);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(TelemetryPrefix))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(TelemetryPrefix)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation());
        // Probes are noise in a trace view. Libraries add their own noise the same way (chained, so the order of
        // registration does not matter): messaging leaves out its timer-driven queue polling.
        builder.Services.Configure<AspNetCoreTraceInstrumentationOptions>(options =>
        {
            var previous = options.Filter;
            options.Filter = context => !IsProbe(context.Request.Path) && (previous is null || previous(context));
        });
        builder.Services.Configure<HttpClientTraceInstrumentationOptions>(options =>
        {
            var previous = options.FilterHttpRequestMessage;
            options.FilterHttpRequestMessage = request =>
                !(request.RequestUri is { } uri && IsProbe(uri.AbsolutePath)) && (previous is null || previous(request));
        });

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Degraded still answers 200 so orchestrators keep routing; the body says why.
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = r => r.Tags.Contains("live"),
        });
        return app;
    }
}
