using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Quartz;
using SurgiCase.Messaging;
using SurgiCase.Operations.Hosting;
using SurgiCase.Operations.Jobs;
using SurgiCase.SchedulerService.Control;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Health;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Recovery;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;
using SurgiCase.SchedulerService.Telemetry;
using SurgiCase.SecretsClient;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wiring of the SchedulerService: configured jobs, Quartz, run history, the run worker and events.</summary>
public static class SchedulerServiceExtensions
{
    /// <summary>With this connection string set, history and Quartz live in PostgreSQL and Quartz runs clustered.</summary>
    public const string ClusterConnectionName = "Scheduler";

    /// <summary>Where the outbox's <c>OutboxOptions</c> are bound from.</summary>
    public const string OutboxSectionName = SchedulerOptions.SectionName + ":Outbox";

    public static TBuilder AddSchedulerService<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.RequireProductionSettings(SchedulerProductionSettings.Required);
        var services = builder.Services;
        builder.AddApiDefaults();
        builder.AddApiDocument("SurgiCase SchedulerService",
            "Scheduled jobs, their run history and manual control (run now, pause, resume). The operations page at / is not part of this API.");
        // After the API defaults: the page adds its cookie and makes "API key or cookie" the default scheme. It reads
        // the SecretsService cache with this service's own SecretsService key.
        builder.AddOperations(SecretsClientOptions.SectionName);
        services.AddSchedulerAuthorization();

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerJobsValidator>();
        services.AddOptions<SurgiCaseApiOptions>().BindConfiguration(SurgiCaseApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SurgiCaseApiOptions>, SurgiCaseApiOptionsValidator>();
        services.AddSingleton<IValidateOptions<SurgiCaseApiOptions>>(sp => new HttpsOutsideDevelopment<SurgiCaseApiOptions>(
            sp.GetRequiredService<IHostEnvironment>(), SurgiCaseApiOptions.SectionName + ":BaseAddress", o => o.BaseAddress));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobCatalog>();
        services.AddSingleton<SchedulerTelemetry>();

        // Schema first: every later hosted service may touch the run history.
        var clusterConnection = builder.Configuration.GetConnectionString(ClusterConnectionName);
        AddStorage(services);

        builder.AddApiCredentials();
        services.TryAddSingleton<IApiCredentialProvider, NoApiCredentialProvider>();
        // No resilience handler: each job has its own timeout (5 minutes by default), retries and circuit breaker.
        services.AddHttpClient(HttpJobExecutor.HttpClientName, (sp, client) =>
        {
            client.BaseAddress = sp.GetRequiredService<IOptions<SurgiCaseApiOptions>>().Value.BaseAddress;
            // The job's timeout bounds the call; the client must not cut it shorter.
            client.Timeout = Timeout.InfiniteTimeSpan;
        }).WithoutRedirects();
        services.AddSingleton<HostCircuitBreaker>();
        services.AddSingleton<HttpJobExecutor>();
        services.AddSqsJobEventPublisher();
        // A run's events commit with its result and are published from there (Scheduler:Outbox).
        services.AddJobEventOutbox(OutboxSectionName);
        services.AddSingleton<RunHistoryWriter>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<RunQueue>();
        services.AddHostedService<RunWorker>();
        AddAutoRecovery(services);

        services.AddSingleton<OverdueJobs>();
        services.AddSingleton<JobQueries>();
        services.AddSingleton<JobCommands>();
        services.AddSingleton<IJobOperations, PageJobOperations>();
        // One instance (it caches its answer); AddCheck<T> takes a registered one over making a new one per probe.
        services.AddSingleton<CriticalJobsHealthCheck>();
        services.AddHealthChecks().AddCheck<CriticalJobsHealthCheck>(CriticalJobsHealthCheck.Name);

        AddQuartzSchedulers(builder, clusterConnection);
        // After the catch-up has queued its runs, so the first look does not call a run about to happen missed.
        services.AddHostedService<MissedRunWatchdog>();
        // After the Quartz hosted service: it watches the schedulers that one creates.
        services.AddHostedService<SchedulerHeartbeat>();
        return builder;
    }

    /// <summary>Re-runs a critical job once when the dependency that failed it answers again (<c>Scheduler:Recovery</c>).</summary>
    private static void AddAutoRecovery(IServiceCollection services)
    {
        services.AddSingleton<RecoveryPlanner>();
        // The probe carries no API key, and like the jobs' client follows no redirect.
        services.AddHttpClient(DependencyProbe.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).WithoutRedirects();
        services.AddSingleton<DependencyProbe>();
        services.AddSingleton<AutoRecoveryService>();
        services.AddHostedService(sp => sp.GetRequiredService<AutoRecoveryService>());
    }

    private static void AddStorage(IServiceCollection services)
    {
        services.AddSqlSchema(SchedulerSchema.Tables);
        services.AddSqlDatabase(ClusterConnectionName, "scheduler.db", sp => sp.GetRequiredService<IOptions<SchedulerOptions>>().Value.DataDirectory);
        // The page's cookies and antiforgery tokens: one key ring in this database, so every replica reads every other's.
        services.AddSharedKeyRing("SurgiCase.SchedulerService");
        services.AddSingleton<IRunStore, SqlRunStore>();
        services.AddSingleton<IJobStateStore, SqlJobStateStore>();
        services.AddRetentionStep<JobActionRetentionStep>();
        services.AddRetentionStep<RevokedSessionsRetentionStep>();
        services.AddSingleton<IRecoveryStore, SqlRecoveryStore>();
        // Sign-out on one replica ends the session on all (after AddOperations, whose in-process store this replaces).
        services.AddSingleton<ISessionRevocationStore, SqlSessionRevocationStore>();
    }

    private static void AddQuartzSchedulers(IHostApplicationBuilder builder, string? clusterConnection)
    {
        var services = builder.Services;
        var clustered = !string.IsNullOrWhiteSpace(clusterConnection);
        services.AddSingleton(new SchedulerTopology(clustered));
        // Instance jobs (and, without PostgreSQL, every job) run on this replica's own in-memory scheduler.
        services.AddQuartz(quartz => quartz.UseInMemoryStore(_ => { }));
        if (clustered)
        {
            var options = builder.Configuration.GetSection(SchedulerOptions.SectionName).Get<SchedulerOptions>() ?? new SchedulerOptions();
            services.AddQuartz(SchedulerTopology.ClusteredSchedulerName, quartz =>
            {
                var instanceId = string.IsNullOrWhiteSpace(options.InstanceId)
                    ? $"{Environment.MachineName}-{Guid.NewGuid():N}"
                    : options.InstanceId;
                quartz.ConfigureScheduler(scheduler => scheduler.InstanceId = instanceId);
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(clusterConnection!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.ClusterCheckinInterval;
                        c.CheckinMisfireThreshold = options.ClusterCheckinInterval;
                    });
                    store.UseSystemTextJsonSerializer();
                    // Creates the QRTZ_ tables on first start (create-only, then validated), so no SQL script to ship.
                    store.ProvisionSchema();
                });
            });
        }

        services.AddTransient<ScheduledHttpJob>();
        // Order matters: catch-up claims missed fire times before Quartz starts firing new ones.
        services.AddHostedService<CatchUpService>();
        services.AddHostedService<JobScheduleRegistrar>();
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
    }

    public static WebApplication MapSchedulerEndpoints(this WebApplication app)
    {
        app.MapJobEndpoints();
        app.MapApiDocument();
        // The page, beside the JSON API: its own cookie sign-in and antiforgery.
        app.MapOperations();
        return app;
    }
}
