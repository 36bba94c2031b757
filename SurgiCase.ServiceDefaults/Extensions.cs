using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Service defaults in the shape of the Aspire template: telemetry, health checks, service discovery
/// and HTTP resilience. Every SurgiCase service calls <see cref="AddServiceDefaults{TBuilder}"/> first.
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
        GracefulShutdown.AddGracefulShutdown(builder.Services);
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();
        builder.Services.AddSingleton(TimeProvider.System);

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Standard resilience for service-to-service calls. Clients with longer work (the 5-minute
            // report calls) opt out with RemoveAllResilienceHandlers() and bring their own policy.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

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
                .AddAspNetCoreInstrumentation(options =>
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                        && !IsAwsPolling(context.Request.Headers["X-Amz-Target"].ToString()))
                .AddHttpClientInstrumentation(options => options.FilterHttpRequestMessage = IsWorthTracing));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    // Polling is noise in a trace view: health probes, moto's admin API, and the SQS calls a consumer
    // or health check makes on a timer (a long-poll receive every 20 s would be a trace of its own).
    // The work a message causes is traced from the consumer's process span.
    private static readonly HashSet<string> PollingAwsTargets = new(StringComparer.Ordinal)
    {
        "AmazonSQS.ReceiveMessage", "AmazonSQS.GetQueueAttributes", "AmazonSQS.GetQueueUrl",
    };

    private static bool IsWorthTracing(HttpRequestMessage request)
    {
        if (request.RequestUri is { } uri
            && (uri.AbsolutePath.StartsWith(HealthEndpointPath, StringComparison.Ordinal)
                || uri.AbsolutePath.StartsWith(AlivenessEndpointPath, StringComparison.Ordinal)
                || uri.AbsolutePath.StartsWith("/moto-api", StringComparison.Ordinal)))
        {
            return false;
        }

        return !(request.Headers.TryGetValues("X-Amz-Target", out var targets) && IsAwsPolling(targets.FirstOrDefault()));
    }

    private static bool IsAwsPolling(string? target) => target is not null && PollingAwsTargets.Contains(target);

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
