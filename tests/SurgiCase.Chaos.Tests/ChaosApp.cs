using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurgiCase.EndToEnd.Tests;
using SurgiCase.Testing;

namespace SurgiCase.Chaos.Tests;

/// <summary>
/// The real AppHost (moto behind the fault proxy, the three services, the API simulator) for the chaos scenarios, with
/// fresh keys and stores. <see cref="ResourceProcesses"/> kills and restarts its service processes.
/// </summary>
public abstract class ChaosApp : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    protected ChaosApp(bool cluster) => Cluster = cluster;

    public bool Cluster { get; }

    /// <summary>Each service's own operator key, by resource name.</summary>
    public IReadOnlyDictionary<string, string> OperatorKeys { get; } = new Dictionary<string, string>
    {
        ["scheduler-service"] = NewKey(),
        ["notification-service"] = NewKey(),
        ["secrets-service"] = NewKey(),
    };

    public DistributedApplication App { get; private set; } = null!;

    public ResourceProcesses Processes { get; private set; } = null!;

    /// <summary>moto itself, not through the fault proxy: the tests' own reads and writes never meet an injected fault.</summary>
    public Uri LocalAwsUrl { get; private set; } = null!;

    public HttpClient Moto { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The values the fixture gave the AppHost's generated parameters, by name (the database passwords among them).</summary>
    public Dictionary<string, string> GeneratedKeys { get; } = new(StringComparer.Ordinal);

    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("surgicase-chaos-").FullName;

    /// <summary>Settings of the run on top of the fixture's own (a tuned check-in, shorter retries...).</summary>
    protected virtual void Configure(IDistributedApplicationTestingBuilder builder)
    {
    }

    private LocalAppHostLock? _appHostLock;

    public async Task InitializeAsync()
    {
        // Before the start timeout: the wait for another test process's AppHost is not part of this one's start.
        _appHostLock = await LocalAppHostLock.AcquireAsync(TimeSpan.FromMinutes(60), Console.WriteLine);
        using var cts = new CancellationTokenSource(StartTimeout);
        string[] args = Cluster ? ["--Cluster=true"] : [];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SurgiCase_AppHost>(args, cts.Token);
        builder.Configuration["Parameters:admin-api-key"] = OperatorKeys["scheduler-service"];
        builder.Configuration["Parameters:notification-operator-key"] = OperatorKeys["notification-service"];
        builder.Configuration["Parameters:secrets-operator-key"] = OperatorKeys["secrets-service"];
        foreach (var name in new[] { "notification-secrets-api-key", "scheduler-secrets-api-key", "surgicase-api-key", "operations-page-key", "data-protection-key",
                     "scheduler-data-protection-key", "secrets-data-protection-key", "scheduler-database-password",
                     "notification-database-password", "secrets-database-password" })
        {
            builder.Configuration[$"Parameters:{name}"] = GeneratedKeys[name] = NewKey();
        }

        builder.CreateResourceBuilder<ProjectResource>("scheduler-service")
            .WithEnvironment("Scheduler__DataDirectory", Path.Combine(DataDirectory, "scheduler"));
        builder.CreateResourceBuilder<ProjectResource>("notification-service")
            .WithEnvironment("Notifications__DataDirectory", Path.Combine(DataDirectory, "notifications"));
        builder.CreateResourceBuilder<ProjectResource>("secrets-service")
            .WithEnvironment("Secrets__DataDirectory", Path.Combine(DataDirectory, "secrets"));
        Configure(builder);
        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        App = await builder.BuildAsync(cts.Token);
        Processes = ResourceProcesses.Watch(App);
        await App.StartAsync(cts.Token);
        LocalAwsUrl = await AppHostServices.WaitUntilHealthyAsync(App, cts.Token);
    }

    /// <summary>An HTTP client for a service, with that service's operator key.</summary>
    public HttpClient CreateOperatorClient(string resource) => AppHostServices.CreateOperatorClient(App, resource, OperatorKeys[resource]);

    public Task SetSimulatorFaultAsync(object fault) => PostAsync("api-simulator", "/faults", fault);

    public Task ClearSimulatorFaultsAsync() => DeleteAsync("api-simulator", "/faults");

    public Task SetAwsFaultAsync(object fault) => PostAsync("aws-fault-proxy", "/proxy/faults", fault);

    public Task ClearAwsFaultsAsync() => DeleteAsync("aws-fault-proxy", "/proxy/faults");

    /// <summary>The authenticated health report of a service (names each check and its reason).</summary>
    public async Task<JsonObject> HealthAsync(string resource)
    {
        using var client = CreateOperatorClient(resource);
        using var response = await client.GetAsync("/health");
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    public Task<int> QueueCountAsync(string queueName) => MotoAdmin.GetQueueMessageCountAsync(Moto, LocalAwsUrl, queueName);

    public Task<IReadOnlyList<SentEmail>> SentEmailsAsync() => MotoAdmin.GetSentEmailsAsync(Moto, LocalAwsUrl);

    public async Task DisposeAsync()
    {
        Moto.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _appHostLock?.Dispose();

        Processes?.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not quite exited may still hold a file; the temp folder is cleaned by the OS.
        }
    }

    private async Task PostAsync(string resource, string path, object body)
    {
        using var client = App.CreateHttpClient(resource, "http");
        using var response = await client.PostAsJsonAsync(path, body);
        response.EnsureSuccessStatusCode();
    }

    private async Task DeleteAsync(string resource, string path)
    {
        using var client = App.CreateHttpClient(resource, "http");
        using var response = await client.DeleteAsync(path);
        response.EnsureSuccessStatusCode();
    }

    private static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
}

/// <summary>One AppHost on SQLite (one replica of each service) for scenarios (a) to (c).</summary>
public sealed class SingleNodeChaosApp() : ChaosApp(cluster: false)
{
    protected override void Configure(IDistributedApplicationTestingBuilder builder)
    {
        // Every seed job fails for good on its first attempt: the scenarios make jobs fail, they do not measure retries.
        var scheduler = builder.CreateResourceBuilder<ProjectResource>("scheduler-service");
        for (var job = 0; job < 7; job++)
        {
            scheduler.WithEnvironment($"Scheduler__Jobs__{job}__retry__maxAttempts", "1");
        }

        if (ChaosScale.Current != ChaosScale.Full)
        {
            // CI's small run: a claim held by a killed replica blocks its redelivery for the claim lease (90 s by
            // default). A 45 s lease, with timeouts lowered to fit it (start-up checks 2 + 2 x 3 + 0.5 + 2 + 2 + 30 s
            // of database waits = 42.5 s), keeps the run short; the documented full run keeps the defaults.
            builder.CreateResourceBuilder<ProjectResource>("notification-service")
                .WithEnvironment("Notifications__ClaimLease", "00:00:45")
                .WithEnvironment("Notifications__SesMaxAttempts", "2")
                .WithEnvironment("Aws__RequestTimeout", "00:00:03")
                .WithEnvironment("SecretsClient__Timeout", "00:00:02")
                .WithEnvironment("Notifications__Webhook__Timeout", "00:00:02");
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SingleNodeChaosCollection : ICollectionFixture<SingleNodeChaosApp>
{
    public const string Name = "Chaos: single node";
}
