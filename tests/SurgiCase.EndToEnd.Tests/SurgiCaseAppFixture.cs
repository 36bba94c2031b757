using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SurgiCase.Testing;

namespace SurgiCase.EndToEnd.Tests;

/// <summary>
/// The real AppHost, started once for the end-to-end collection: moto, the three services and the
/// API simulator as separate processes, with the keys set by the test.
/// </summary>
public sealed class SurgiCaseAppFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    /// <summary>How long an alert may take to arrive: the issue's bound for the whole path.</summary>
    public static readonly TimeSpan AlertDeadline = TimeSpan.FromSeconds(30);

    /// <summary>The one job (weekly-provider-payment-summary-report) re-run automatically in these tests.</summary>
    public const int AutomaticRecoveryJobIndex = 1;

    /// <summary>The job HangingReportTests makes hang (weekly-individual-provider-reports), with a short timeout.</summary>
    public const int HangingJobIndex = 3;

    /// <summary>The shortened reminder interval of unacknowledged critical alerts (30 min by default).</summary>
    public static readonly TimeSpan ReminderInterval = TimeSpan.FromSeconds(10);

    /// <summary>The scheduler's operator key: the operations page's sign-in and the scheduler's API.</summary>
    public string AdminApiKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The password of each seeded person at the local identity provider (olivia: operator, victor: viewer).</summary>
    public IReadOnlyDictionary<string, string> PersonPasswords { get; } = new Dictionary<string, string>
    {
        ["olivia"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        ["victor"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
    };

    /// <summary>Each service's own operator key (AppHost parameters), by resource name.</summary>
    public IReadOnlyDictionary<string, string> OperatorKeys { get; }

    public SurgiCaseAppFixture() => OperatorKeys = new Dictionary<string, string>
    {
        ["scheduler-service"] = AdminApiKey,
        ["notification-service"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
        ["secrets-service"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
    };

    public DistributedApplication App { get; private set; } = null!;

    public Uri LocalAwsUrl { get; private set; } = null!;

    public HttpClient Moto { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A fresh folder for the services' SQLite stores, removed after the run.</summary>
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("surgicase-e2e-").FullName;

    private LocalAppHostLock? _appHostLock;

    public async Task InitializeAsync()
    {
        // Before the start timeout: the wait for another test process's AppHost is not part of this one's start.
        _appHostLock = await LocalAppHostLock.AcquireAsync(TimeSpan.FromMinutes(60), Console.WriteLine);
        using var cts = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SurgiCase_AppHost>(cts.Token);
        builder.Configuration["Parameters:admin-api-key"] = AdminApiKey;
        builder.Configuration["Parameters:notification-operator-key"] = OperatorKeys["notification-service"];
        builder.Configuration["Parameters:secrets-operator-key"] = OperatorKeys["secrets-service"];
        builder.Configuration["Parameters:idp-olivia-password"] = PersonPasswords["olivia"];
        builder.Configuration["Parameters:idp-victor-password"] = PersonPasswords["victor"];
        foreach (var name in new[] { "oidc-client-secret", "notification-secrets-api-key", "scheduler-secrets-api-key", "surgicase-api-key", "operations-page-key", "data-protection-key",
                     "scheduler-data-protection-key", "secrets-data-protection-key", "scheduler-database-password",
                     "notification-database-password", "secrets-database-password" })
        {
            builder.Configuration[$"Parameters:{name}"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        }

        // The seed's payment report retries for minutes before its final failure; the end-to-end tests
        // measure the path from final failure to email, so the first job (the payment report) fails at once.
        builder.CreateResourceBuilder<ProjectResource>("scheduler-service")
            .WithEnvironment("Scheduler__Jobs__0__retry__maxAttempts", "1")
            // The referral report keeps its three attempts with a short backoff: the retry tests watch every attempt.
            .WithEnvironment("Scheduler__Jobs__2__retry__initialDelaySeconds", "0.2")
            .WithEnvironment("Scheduler__Jobs__2__retry__maxDelaySeconds", "1")
            .WithEnvironment("Scheduler__DataDirectory", Path.Combine(DataDirectory, "scheduler"))
            // The page signs in through the local identity provider as in production; the other page tests use the key.
            .WithEnvironment("Operations__BreakGlassKeySignIn", "true")
            // Automatic recovery probes every second, and only for the payment summary report (AutomaticRecoveryTests):
            // the other tests fail critical jobs on purpose and count their emails, a re-run behind their back would add one.
            .WithEnvironment("Scheduler__Recovery__ProbeInterval", "00:00:01")
            // The tests fail the simulator on purpose one after another (500s, a dead port, hanging calls); counted
            // together by the per-host circuit breaker they would open it for a minute and fail the next test at once.
            // The breaker has its own tests (SchedulerService.Tests, the chaos scenarios); here it never opens.
            .WithEnvironment("Scheduler__CircuitBreaker__FailureThreshold", "1000")
            .WithEnvironment($"Scheduler__Jobs__{AutomaticRecoveryJobIndex}__retry__maxAttempts", "1")
            // The individual provider reports hang in HangingReportTests: attempts time out after 2 s, retried within a second;
            // it keeps its three attempts and its automatic recovery (no other test runs it).
            .WithEnvironment($"Scheduler__Jobs__{HangingJobIndex}__timeoutSeconds", "2")
            .WithEnvironment($"Scheduler__Jobs__{HangingJobIndex}__retry__initialDelaySeconds", "0.5")
            .WithEnvironment($"Scheduler__Jobs__{HangingJobIndex}__retry__maxDelaySeconds", "1");
        foreach (var index in new[] { 0, 2, 4, 5 })
        {
            builder.CreateResourceBuilder<ProjectResource>("scheduler-service").WithEnvironment($"Scheduler__Jobs__{index}__autoRecovery", "false");
        }

        // Each test run starts from empty stores. Alert-storm suppression keeps its default window: the tests run
        // jobs by hand, and what a person started is never folded (AlertSuppressionTests shows it).
        // Reminders of unacknowledged critical alerts come after ReminderInterval instead of 30 min (AcknowledgementTests);
        // they change no alert's own subject, and end after one escalation.
        builder.CreateResourceBuilder<ProjectResource>("notification-service")
            .WithEnvironment("Notifications__DataDirectory", Path.Combine(DataDirectory, "notifications"))
            .WithEnvironment("Notifications__Acknowledgement__ReminderInterval", ReminderInterval.ToString("c", System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("Notifications__Acknowledgement__CheckInterval", "00:00:01");

        // Secrets expire after a second, so a lookup during an injected Secrets Manager outage goes to
        // AWS and exercises the stale fallback instead of a still-fresh cache entry. Its outbox of warming
        // alerts starts empty too.
        builder.CreateResourceBuilder<ProjectResource>("secrets-service")
            .WithEnvironment("Secrets__DataDirectory", Path.Combine(DataDirectory, "secrets"))
            .WithEnvironment("Secrets__Ttl", "00:00:01")
            .WithEnvironment("Secrets__CircuitBreaker__BreakDuration", "00:00:02");

        builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        App = await builder.BuildAsync(cts.Token);
        await App.StartAsync(cts.Token);
        LocalAwsUrl = await AppHostServices.WaitUntilHealthyAsync(App, cts.Token);
    }

    /// <summary>An HTTP client for a service, with that service's operator key.</summary>
    public HttpClient CreateOperatorClient(string resource) => AppHostServices.CreateOperatorClient(App, resource, OperatorKeys[resource]);

    public async Task ClearSimulatorFaultsAsync()
    {
        using var simulator = App.CreateHttpClient("api-simulator", "http");
        using var response = await simulator.DeleteAsync("/faults");
        response.EnsureSuccessStatusCode();
    }

    public async Task SetSimulatorFaultAsync(object fault)
    {
        using var simulator = App.CreateHttpClient("api-simulator", "http");
        using var response = await simulator.PostAsJsonAsync("/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task SetAwsFaultAsync(object fault)
    {
        using var proxy = App.CreateHttpClient("aws-fault-proxy", "http");
        using var response = await proxy.PostAsJsonAsync("/proxy/faults", fault);
        response.EnsureSuccessStatusCode();
    }

    public async Task ClearAwsFaultsAsync()
    {
        using var proxy = App.CreateHttpClient("aws-fault-proxy", "http");
        using var response = await proxy.DeleteAsync("/proxy/faults");
        response.EnsureSuccessStatusCode();
    }

    public async Task<int> SentEmailCountAsync() => (await MotoAdmin.GetSentEmailsAsync(Moto, LocalAwsUrl)).Count;

    /// <summary>Polls moto's sent mail (from index <paramref name="skip"/> on) for a matching email.</summary>
    public async Task<SentEmail> WaitForEmailAsync(Func<SentEmail, bool> match, int skip = 0)
    {
        var deadline = DateTime.UtcNow + AlertDeadline;
        IReadOnlyList<SentEmail> emails = [];
        while (DateTime.UtcNow < deadline)
        {
            emails = await MotoAdmin.GetSentEmailsAsync(Moto, LocalAwsUrl);
            var found = emails.Skip(skip).Where(match).ToList();
            if (found.Count > 0)
            {
                return Assert.Single(found);
            }

            await Task.Delay(200);
        }

        Assert.Fail($"No matching email within {AlertDeadline}. Sent: {string.Join(" | ", emails.Select(e => e.Subject))}");
        throw new InvalidOperationException("unreachable");
    }

    /// <summary>Polls the simulator's Slack stand-in for a message whose text contains <paramref name="runId"/>; null if none came in time.</summary>
    public static async Task<string?> WaitForSlackTextAsync(HttpClient simulator, string runId)
    {
        var deadline = DateTime.UtcNow + AlertDeadline;
        while (DateTime.UtcNow < deadline)
        {
            var messages = await simulator.GetFromJsonAsync<JsonArray>("/webhooks/slack");
            var text = messages!.Select(m => m!["text"]?.GetValue<string>()).FirstOrDefault(t => t?.Contains(runId, StringComparison.Ordinal) == true);
            if (text is not null)
            {
                return text;
            }

            await Task.Delay(200);
        }

        return null;
    }

    /// <summary>Starts a manual run and returns its id.</summary>
    public static async Task<string> RunJobNowAsync(HttpClient scheduler, string jobId)
    {
        using var response = await scheduler.PostAsync($"/jobs/{jobId}/run", null);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["runId"]!.GetValue<string>();
    }

    public async Task<JsonObject> WaitForRunToFinishAsync(HttpClient scheduler, string runId)
    {
        var deadline = DateTime.UtcNow + AlertDeadline;
        while (true)
        {
            var run = await scheduler.GetFromJsonAsync<JsonObject>($"/runs/{runId}");
            var outcome = run!["outcome"]!.GetValue<string>();
            if (outcome is not ("running" or "queued"))
            {
                return run;
            }

            Assert.True(DateTime.UtcNow < deadline, $"Run {runId} did not finish in time: {run.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        Moto.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }

        _appHostLock?.Dispose();

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A process that has not quite exited may still hold a file; the temp folder is cleaned by the OS.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SurgiCaseAppCollection : ICollectionFixture<SurgiCaseAppFixture>
{
    public const string Name = "SurgiCase AppHost";
}
