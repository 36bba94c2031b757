using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.Messaging;
using SurgiCase.SecretsService;

namespace Microsoft.Extensions.Hosting;

/// <summary>The SecretsService wiring: options, AWS client, cache, breaker, warming, snapshot, health and endpoints.</summary>
public static class SecretsServiceExtensions
{
    public static TBuilder AddSecretsService<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        builder.AddApiDefaults();

        services.AddOptions<SecretsOptions>()
            .BindConfiguration(SecretsOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.SecretNames.TrueForAll(n => !string.IsNullOrWhiteSpace(n)), $"{SecretsOptions.SectionName}:SecretNames must not contain empty names.")
            .Validate(o => o.MaxStaleness is null || o.MaxStaleness > TimeSpan.Zero, $"{SecretsOptions.SectionName}:MaxStaleness must be positive when set.")
            // ValidateDataAnnotations does not descend into nested sections, so the breaker is checked here.
            .Validate(o => o.CircuitBreaker.FailureThreshold >= 1, $"{SecretsOptions.SectionName}:CircuitBreaker:FailureThreshold must be 1 or more.")
            .Validate(
                o => o.CircuitBreaker.BreakDuration > TimeSpan.Zero && o.CircuitBreaker.MaxBreakDuration >= o.CircuitBreaker.BreakDuration,
                $"{SecretsOptions.SectionName}:CircuitBreaker:BreakDuration must be positive and not above MaxBreakDuration.")
            .Validate(o => !o.Snapshot.Enabled || !string.IsNullOrWhiteSpace(o.Snapshot.Path), $"{SecretsOptions.SectionName}:Snapshot:Path is required when the snapshot is enabled.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSecretsManagerClient();
        services.AddJobEventPublisher();

        services.AddSingleton<SecretAccessPolicy>();
        services.AddSingleton<SecretsMetrics>();
        services.AddSingleton<AwsCircuitBreaker>();
        services.AddSingleton<SecretCache>();
        services.AddSingleton<SecretsWarmer>();
        services.AddSingleton<WarmingAlertRetrier>();
        services.AddHostedService(sp => sp.GetRequiredService<WarmingAlertRetrier>());
        services.AddSecretsSnapshot(builder.Configuration);
        services.AddHostedService<SecretsWarmingService>();

        services.AddHealthChecks().AddCheck<SecretsHealthCheck>("secrets");
        return builder;
    }

    public static WebApplication MapSecretsEndpoints(this WebApplication app)
    {
        SecretsEndpoints.MapSecretsEndpoints(app);
        return app;
    }
}
