using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging;
using SurgiCase.SecretsService;
using SurgiCase.SecretsService.Endpoints;
using SurgiCase.SecretsService.StaleAlerts;
using SurgiCase.Storage.KeyRing;

namespace Microsoft.Extensions.Hosting;

/// <summary>The SecretsService wiring: options, AWS client, cache, breaker, warming, snapshot, health and endpoints.</summary>
public static class SecretsServiceExtensions
{
    /// <summary>With this connection string set, the warming alerts' outbox lives in PostgreSQL (else SQLite under Secrets:DataDirectory).</summary>
    public const string ConnectionName = "Secrets";

    /// <summary>Where the warming alerts' <c>OutboxOptions</c> are bound from.</summary>
    public const string OutboxSectionName = SecretsOptions.SectionName + ":Outbox";

    public static TBuilder AddSecretsService<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.RequireProductionSettings(SecretsProductionSettings.Required);
        var services = builder.Services;
        builder.AddApiDefaults();
        builder.AddApiDocument("SurgiCase SecretsService",
            "Secrets from AWS Secrets Manager through a TTL cache with a stale fallback, cache warming and the cache's state (never its values).");

        services.AddOptions<SecretsOptions>().BindConfiguration(SecretsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecretsOptions>, SecretsOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSecretsManagerClient();
        services.AddSqsJobEventPublisher();
        // A warming alert is stored before it is published, so one SQS refused survives a restart (Secrets:Outbox).
        services.AddSqlDatabase(ConnectionName, "secrets.db", sp => sp.GetRequiredService<IOptions<SecretsOptions>>().Value.DataDirectory);
        services.AddJobEventOutbox(OutboxSectionName);

        services.AddSingleton<SecretAccessPolicy>();
        services.AddSingleton<SecretsMetrics>();
        services.AddSingleton<AwsCircuitBreaker>();
        services.AddSingleton<SecretCache>();
        services.AddSingleton<SecretsWarmer>();
        AddSnapshot(builder);
        services.AddHostedService<SecretsWarmingService>();

        // Secrets:StaleAlertAfter: one warning per stale episode, stored beside the outbox so replicas and restarts agree.
        services.AddSqlSchema(StaleEpisodeStore.Table);
        services.AddSingleton<StaleEpisodeStore>();
        services.AddSingleton<StaleSecretsAlerter>();
        services.AddHostedService<StaleSecretsAlertService>();

        services.AddHealthChecks().AddCheck<SecretsHealthCheck>("secrets");
        return builder;
    }

    /// <summary>The encrypted last-known-good copy (<see cref="SnapshotOptions"/>), when enabled.</summary>
    private static void AddSnapshot(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var snapshot = builder.Configuration.GetSection($"{SecretsOptions.SectionName}:Snapshot").Get<SnapshotOptions>() ?? new SnapshotOptions();
        if (!snapshot.Enabled)
        {
            return;
        }

        builder.RequireProductionSettings(SecretsProductionSettings.Snapshot);

        // The snapshot's key ring lives beside the outbox in this service's database (or in Snapshot:KeysPath), so a
        // replacement task reads what its predecessor wrote; its keys are encrypted with DataProtection:KeyEncryptionKey.
        services.AddSharedKeyRing("SurgiCase.SecretsService");
        if (!string.IsNullOrWhiteSpace(snapshot.KeysPath))
        {
            services.Configure<KeyRingOptions>(options => options.KeysDirectory ??= snapshot.KeysPath);
        }

        services.AddHostedService<SecretsSnapshotStore>();
    }

    public static WebApplication MapSecretsEndpoints(this WebApplication app)
    {
        SecretsEndpoints.MapSecretsEndpoints(app);
        app.MapApiDocument();
        return app;
    }
}
