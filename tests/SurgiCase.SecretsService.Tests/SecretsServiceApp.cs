using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Aws;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// The real SecretsService in memory, against moto, with a fake clock and a fault handler in front of the real AWS
/// client. Each instance gets its own secret-name prefix and queue, so tests share one moto without resets.
/// </summary>
public sealed class SecretsServiceApp : WebApplicationFactory<Program>
{
    public const string SchedulerKey = "scheduler-key-0123456789abcdef0123456789";
    public const string NotificationKey = "notification-key-0123456789abcdef0123456789";
    public const string OperatorKey = "operator-key-0123456789abcdef0123456789";
    public const string OperationsPageKey = "operations-page-key-0123456789abcdef0123456789";

    public static readonly string[] NineShortNames = ["main", "api", "database", "email", "s3-reports", "npi-registry", "backup", "slack", "payments"];

    private readonly MotoServer _moto;
    private readonly string _dataDirectory;
    private readonly bool _ownsDataDirectory;
    private readonly Dictionary<string, string?> _settings;
    private int _enteredRequests;

    /// <summary>
    /// Starts a service that must refuse to start, and returns why. WebApplicationFactory now and then reports a start that
    /// failed fast as an <see cref="ObjectDisposedException"/> of the host's service provider (it reads the services after
    /// the failed host disposed them; dotnet/aspnetcore#33494): such an attempt is made again, with a new factory.
    /// </summary>
    public static async Task<Exception> StartFailureAsync(MotoServer moto, IReadOnlyDictionary<string, string?> settings)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var app = new SecretsServiceApp(moto, settings: settings);
            try
            {
                _ = app.Services;
            }
            catch (ObjectDisposedException) when (attempt < 3)
            {
                continue;
            }
            catch (Exception e)
            {
                return e;
            }

            throw new Xunit.Sdk.XunitException("The service started; it should have refused to.");
        }
    }

    /// <param name="dataDirectory">The folder of the service's outbox; another app given the same one is the same service restarted.</param>
    public SecretsServiceApp(
        MotoServer moto, string? prefix = null, FakeTimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, string? dataDirectory = null)
    {
        _moto = moto;
        _ownsDataDirectory = dataDirectory is null;
        _dataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("surgicase-secrets-").FullName;
        Prefix = prefix ?? "t" + Guid.NewGuid().ToString("N")[..10];
        QueueName = Prefix + "-job-events";
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 8, 0, 0, TimeSpan.Zero));
        _settings = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Authentication:ApiKeys:scheduler-service"] = SchedulerKey,
            ["Authentication:ApiKeys:notification-service"] = NotificationKey,
            ["Authentication:ApiKeys:operator"] = OperatorKey,
            ["Authentication:ApiKeys:operations-page"] = OperationsPageKey,
            ["Secrets:Callers:scheduler-service:AllowedSecrets:0"] = Prefix + "/*",
            ["Secrets:Callers:notification-service:AllowedSecrets:0"] = Prefix + "/main",
            ["Secrets:WarmOnStartup"] = "false",
            // Tests move the clock by hours; a periodic warming run racing a test's faults would make it flaky.
            ["Secrets:WarmingInterval"] = "1.00:00:00",
            ["Secrets:TtlJitter"] = "0",
            // Its own outbox: a pending alert of one test must never be published into another test's queue.
            ["Secrets:DataDirectory"] = _dataDirectory,
            ["Messaging:QueueName"] = QueueName,
            ["Messaging:DeadLetterQueueName"] = QueueName + "-dlq",
        };
        // appsettings.json lists the production names; tests warm their own prefixed copies of the nine.
        for (var i = 0; i < NineShortNames.Length; i++)
        {
            _settings[$"Secrets:SecretNames:{i}"] = $"{Prefix}/{NineShortNames[i]}";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            _settings[key] = value;
        }
    }

    public string Prefix { get; }

    public string QueueName { get; }

    public FakeTimeProvider Time { get; }

    public AwsFaultPlan Faults { get; } = new();

    public int EnteredRequests => Volatile.Read(ref _enteredRequests);

    public FakeLogCollector Logs => Services.GetFakeLogCollector();

    public string Name(string shortName) => $"{Prefix}/{shortName}";

    public HttpClient CreateClient(string? apiKey)
    {
        var client = CreateClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        }

        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_ownsDataDirectory && Directory.Exists(_dataDirectory))
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // Seen under load: an empty secrets.db reappears while the folder is deleted (a connection opened
                // during the host's disposal). Cleanup is not what the test checks; the OS temp cleaner gets it.
            }
        }
    }

    public async Task<HealthStatus> HealthAsync() => (await Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Status;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddFakeLogging().AddProvider(SecretLeakGuard.Capture.CreateLoggerProvider()).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddAwsHttpHandler(AwsServiceNames.SecretsManager, _ => Faults.CreateHandler());
            services.AddSingleton<IStartupFilter>(new CountingStartupFilter(() => Interlocked.Increment(ref _enteredRequests)));
        });
    }

    private sealed class CountingStartupFilter(Action onRequest) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                onRequest();
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
