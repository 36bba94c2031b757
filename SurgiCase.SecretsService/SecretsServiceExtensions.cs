using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
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

        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();

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
