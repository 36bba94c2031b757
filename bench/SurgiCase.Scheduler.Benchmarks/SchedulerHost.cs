using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>
/// The SchedulerService wired as Program.cs wires it (service defaults, SQLite history, in-memory Quartz), with only
/// the benchmark's jobs, no API key (the no-op credential provider) and a publisher that drops events.
/// </summary>
internal static class SchedulerHost
{
    public const string ScheduledJob = "bench-every-second";
    public const string ManualJob = "bench-manual";

    /// <param name="postgres">A PostgreSQL connection string: history there and Quartz clustered (cluster mode), else SQLite.</param>
    public static async Task<WebApplication> StartAsync(Uri apiBase, string dataDirectory, bool scheduled, string? postgres = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            // The scheduler's name, so its static web assets manifest (the operations page's files) is the one found.
            ApplicationName = typeof(SchedulerServiceExtensions).Assembly.GetName().Name,
            // An empty content root: no appsettings.json, so none of the seed's jobs exist here.
            ContentRootPath = dataDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["SurgiCaseApi:BaseAddress"] = apiBase.ToString(),
            ["SurgiCaseApi:ApiKeySecretName"] = "",
            ["Scheduler:DataDirectory"] = dataDirectory,
            ["Authentication:ApiKeys:operator"] = "bench-operator-key",
            ["DataProtection:KeyEncryptionKey"] = "bench-key-encryption-key-0123456789abcdef",
            ["Aws:Region"] = "us-east-1",
            ["Scheduler:Jobs:0:id"] = ScheduledJob,
            ["Scheduler:Jobs:0:name"] = "Bench Every Second",
            ["Scheduler:Jobs:0:cron"] = "* * * * * ?",
            ["Scheduler:Jobs:0:enabled"] = scheduled.ToString(CultureInfo.InvariantCulture),
            ["Scheduler:Jobs:0:critical"] = "false",
            ["Scheduler:Jobs:0:url"] = "/api/reports/provider-payment",
            ["Scheduler:Jobs:1:id"] = ManualJob,
            ["Scheduler:Jobs:1:name"] = "Bench Manual",
            ["Scheduler:Jobs:1:cron"] = "0 0 9 ? * MON",
            ["Scheduler:Jobs:1:enabled"] = "false",
            ["Scheduler:Jobs:1:critical"] = "false",
            ["Scheduler:Jobs:1:url"] = "/api/reports/provider-payment",
            [$"ConnectionStrings:{SchedulerServiceExtensions.ClusterConnectionName}"] = postgres,
        });
        builder.AddServiceDefaults();
        builder.AddSchedulerService();
        builder.Services.RemoveAll<IJobEventPublisher>();
        builder.Services.AddSingleton<IJobEventPublisher, DroppingPublisher>();
        var app = builder.Build();
        app.UseApiDefaults();
        app.MapDefaultEndpoints();
        app.MapSchedulerEndpoints();
        await app.StartAsync();
        return app;
    }

    private sealed class DroppingPublisher : IJobEventPublisher
    {
        public Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default) =>
            Task.FromResult(jobEvent.EventId);
    }
}
