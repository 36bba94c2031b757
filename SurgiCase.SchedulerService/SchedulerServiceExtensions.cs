using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Quartz;
using SurgiCase.Messaging;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Runs;
using SurgiCase.SchedulerService.Scheduling;
using SurgiCase.SchedulerService.Telemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wiring of the SchedulerService: configured jobs, Quartz, run history, the run worker and events.</summary>
public static class SchedulerServiceExtensions
{
    public static TBuilder AddSchedulerService<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddProblemDetails();
        builder.AddApiKeyAuthentication();
        services.AddAuthorizationBuilder()
            .AddPolicy(SchedulerEndpoints.OperatorPolicy, policy => policy.RequireAuthenticatedUser().RequireUserName("operator"));

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();
        services.AddOptions<SurgiCaseApiOptions>().BindConfiguration(SurgiCaseApiOptions.SectionName).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<JobCatalog>();
        services.AddSingleton<SchedulerTelemetry>();

        // Schema first: every later hosted service may touch the run history.
        services.AddSingleton<SqliteDatabase>();
        services.AddHostedService<DatabaseInitializer>();
        services.AddSingleton<IRunStore, SqliteRunStore>();

        services.TryAddSingleton<IApiCredentialProvider, NoApiCredentialProvider>();
        services.AddHttpClient(HttpJobExecutor.HttpClientName, (sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<SurgiCaseApiOptions>>().Value.BaseAddress;
                // Each job brings its own timeout (5 minutes by default); the client must not cut it shorter.
                client.Timeout = Timeout.InfiniteTimeSpan;
            })
            .RemoveAllResilienceHandlers();
        services.AddSingleton<HttpJobExecutor>();
        services.AddJobEventPublisher();
        services.AddSingleton<JobEventDispatcher>();
        services.AddSingleton<JobRunner>();
        services.AddSingleton<RunQueue>();
        services.AddHostedService<RunWorker>();

        services.AddQuartz(quartz => quartz.UseInMemoryStore(_ => { }));
        services.AddTransient<ScheduledHttpJob>();
        services.AddHostedService<JobScheduleRegistrar>();
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }

    public static WebApplication MapSchedulerEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapJobEndpoints();
        return app;
    }
}
