using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SurgiCase.Messaging;
using SurgiCase.SchedulerService.Endpoints;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The SchedulerService in-process with its real SQLite history and HTTP client, pointed at a
/// <see cref="SimulatorHost"/>. The seed jobs stay enabled (manual runs of a disabled job are refused) but get
/// <see cref="NeverCron"/>, so no seed tick meddles with a test; extra probe jobs are added after them.
/// </summary>
public sealed class SchedulerApp : WebApplicationFactory<Program>
{
    public const string OperatorKey = "test-operator-key-0123456789abcdef";
    public const int SeedJobCount = 7;

    /// <summary>A valid cron that never fires while a test runs: an enabled job that is only run by hand.</summary>
    public const string NeverCron = "0 0 0 1 1 ? 2099";

    private readonly Dictionary<string, string?> _settings;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _ownsDataDirectory;

    /// <summary>The host's environment: Testing (strict, as Production) unless a test needs Development's allowances.</summary>
    public string EnvironmentName { get; init; } = "Testing";

    public static string NewDataDirectory() =>
        Path.Combine(Path.GetTempPath(), "surgicase-scheduler-tests", Guid.NewGuid().ToString("N"));

    public SchedulerApp(Uri apiBaseAddress, IEnumerable<KeyValuePair<string, string?>>? settings = null,
        Action<IServiceCollection>? services = null, IJobEventPublisher? publisher = null, string? dataDirectory = null)
    {
        // A given folder belongs to the test (a restart reuses it); only a folder made here is deleted here.
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? NewDataDirectory();
        Publisher = publisher;
        _services = services;
        _settings = new Dictionary<string, string?>
        {
            ["SurgiCaseApi:BaseAddress"] = apiBaseAddress.ToString(),
            ["Scheduler:DataDirectory"] = DataDirectory,
            ["Authentication:ApiKeys:operator"] = OperatorKey,
            // Outside Development the operator key signs in to the page only as the explicit break-glass setting.
            ["Operations:BreakGlassKeySignIn"] = "true",
            // Outside Development the page's key ring must be encrypted at rest (SchedulerProductionSettings).
            ["DataProtection:KeyEncryptionKey"] = "test-key-encryption-key-0123456789abcdef",
            ["Aws:Region"] = "us-east-1",
            // No API key by default: the simulator demands none; ApiCredentialTests turn the SecretsService path on.
            ["SurgiCaseApi:ApiKeySecretName"] = "",
            // Automatic recovery probes once an hour: a test that fails a critical job must not see it re-run behind its
            // back; the recovery tests run the pass themselves (AutoRecoveryBed).
            ["Scheduler:Recovery:ProbeInterval"] = "01:00:00",
        };
        for (var i = 0; i < SeedJobCount; i++)
        {
            _settings[$"Scheduler:Jobs:{i}:cron"] = NeverCron;
            // Classification tests look at one attempt; retry behaviour has its own tests.
            _settings[$"Scheduler:Jobs:{i}:retry:maxAttempts"] = "1";
        }

        foreach (var (key, value) in settings ?? [])
        {
            _settings[key] = value;
        }
    }

    public string DataDirectory { get; }

    public IJobEventPublisher? Publisher { get; }

    /// <summary>
    /// Adds a job definition at <paramref name="index"/> (from <see cref="SeedJobCount"/>, after the seed's jobs). By default
    /// enabled but never firing, so it runs only when a test asks.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string?>> Job(int index, string id, string url, int timeoutSeconds = 300,
        string name = "Weekly Provider Payment Report", string displayName = "Provider payment report", bool enabled = true,
        string cron = NeverCron, int maxAttempts = 1, string scope = "cluster", bool critical = true)
    {
        var prefix = $"Scheduler:Jobs:{index}:";
        return new Dictionary<string, string?>
        {
            [prefix + "id"] = id,
            [prefix + "name"] = name,
            [prefix + "displayName"] = displayName,
            [prefix + "cron"] = cron,
            [prefix + "url"] = url,
            [prefix + "timeoutSeconds"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [prefix + "enabled"] = enabled ? "true" : "false",
            [prefix + "scope"] = scope,
            [prefix + "critical"] = critical ? "true" : "false",
            [prefix + "retry:maxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [prefix + "retry:initialDelaySeconds"] = "10",
            [prefix + "retry:maxDelaySeconds"] = "60",
            [prefix + "retry:multiplier"] = "2",
            [prefix + "retry:jitterRatio"] = "0.2",
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        // As Development does by itself: the operations page's stylesheet and script come from the build's static web
        // assets (a published app has them in its wwwroot instead; see OperationsAssetsTests).
        builder.UseStaticWebAssets();
        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(_settings));
        // Settings read while services are registered (cluster mode's connection string) must be there early too.
        foreach (var (key, value) in _settings.Where(s => s.Key.StartsWith("ConnectionStrings:", StringComparison.Ordinal) || s.Key.StartsWith("Scheduler:Cluster", StringComparison.Ordinal) || s.Key == "Scheduler:InstanceId"
                     || s.Key.StartsWith("Operations:Oidc:", StringComparison.Ordinal)
                     || s.Key.StartsWith("SurgiCaseApi:ApiKeySecret", StringComparison.Ordinal)))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => { logging.ClearProviders(); if (Environment.GetEnvironmentVariable("SCHEDULER_TEST_LOGS") == "1") { logging.AddConsole(); } });
        builder.ConfigureTestServices(services =>
        {
            if (Publisher is not null)
            {
                services.RemoveAll<IJobEventPublisher>();
                services.AddSingleton(Publisher);
            }

            _services?.Invoke(services);
        });
    }

    public HttpClient CreateOperatorClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", OperatorKey);
        return client;
    }

    /// <summary>Starts a manual run and returns its id, checking the 202 answer.</summary>
    public async Task<string> RunAsync(HttpClient client, string jobId)
    {
        using var response = await client.PostAsync($"/jobs/{jobId}/run", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<RunAccepted>();
        Assert.NotNull(accepted);
        Assert.Equal($"/runs/{accepted.RunId}", response.Headers.Location?.OriginalString);
        return accepted.RunId;
    }

    /// <summary>Polls the run until it is finished (deadline 30 s); the run itself is never waited on by sleeping.</summary>
    public static async Task<RunRecord> WaitFinishedAsync(HttpClient client, string runId, Action? eachPoll = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var run = await client.GetFromJsonAsync<RunRecord>($"/runs/{runId}");
            Assert.NotNull(run);
            if (RunOutcomes.IsFinished(run.Outcome))
            {
                return run;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Run {runId} did not finish within 30 s; last outcome {run.Outcome}.");
            }

            eachPoll?.Invoke();
            await Task.Delay(20);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDataDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file for a moment; the temp folder is disposable anyway.
        }
    }
}
