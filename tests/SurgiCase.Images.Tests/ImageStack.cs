using System.Globalization;
using Amazon.Runtime;
using Amazon.SQS;
using SurgiCase.Messaging.Sqs;
using SurgiCase.Testing;
using SurgiCase.Testing.Containers;

namespace SurgiCase.Images.Tests;

/// <summary>
/// What the images run against, all on this machine: a moto (SQS, Secrets Manager, SES) seeded as the AppHost
/// seeds the local AWS, the tests' PostgreSQL (<see cref="PostgresServer"/>) with a database per service, and the four images. Builds each service's environment
/// the way an ECS task definition passes it: variables only.
/// </summary>
public sealed class ImageStack : IAsyncLifetime
{
    public const string OperatorKey = "operator-key-0123456789abcdef0123";
    public const string SchedulerSecretsKey = "scheduler-secrets-key-0123456789";
    public const string NotificationSecretsKey = "notification-secrets-key-0123456789";
    public const string SurgiCaseApiKey = "surgicase-api-key-0123456789abcdef";
    public const string Sender = "alerts@surgicase.local";
    public const string OnCall = "oncall@surgicase.local";

    /// <summary>A stopping container must be gone within this (set as Shutdown__DrainTimeout) plus process exit.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private static readonly string[] SecretNames =
        ["main", "api", "database", "email", "s3-reports", "npi-registry", "backup", "slack", "payments"];

    private readonly List<PostgresTestDatabase> _databases = [];

    public MotoServer Moto { get; } = new();

    public ImageSet Images { get; } = new();

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public async Task InitializeAsync()
    {
        await Images.InitializeAsync();
        await Moto.InitializeAsync();

        foreach (var name in SecretNames)
        {
            var value = name switch
            {
                "main" => $$"""{"job_failure_recipients":"{{OnCall}}","admin_email":"admin@surgicase.local"}""",
                "api" => $$"""{"api_key":"{{SurgiCaseApiKey}}"}""",
                _ => """{"value":"seed"}""",
            };
            await MotoAdmin.CreateSecretAsync(Moto.Http, Moto.Url, "surgicase/" + name, value);
        }

        await MotoAdmin.VerifyEmailIdentityAsync(Moto.Http, Moto.Url, Sender);
        using var sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = Moto.Url.ToString(), AuthenticationRegion = "us-east-1" });
        await SqsQueueProvisioner.EnsureQueuesAsync(sqs, new MessagingOptions());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Moto.DisposeAsync();
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        await Images.DisposeAsync();
    }

    /// <summary>A new, empty database on the tests' PostgreSQL, dropped with the stack.</summary>
    public async Task<string> NewDatabaseAsync()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        lock (_databases)
        {
            _databases.Add(database);
        }

        return database.ConnectionString;
    }

    public static int NewPort() => MotoServer.FreeTcpPort();

    /// <summary>AWS, port and drain settings every service gets; the image itself sets ASPNETCORE_ENVIRONMENT=Production.</summary>
    public Dictionary<string, string> Common(int port) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_HTTP_PORTS"] = port.ToString(CultureInfo.InvariantCulture),
        ["Aws__Region"] = "us-east-1",
        ["Aws__ServiceUrl"] = Moto.Url.ToString(),
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["Shutdown__DrainTimeout"] = "00:00:" + DrainTimeout.TotalSeconds.ToString("00", CultureInfo.InvariantCulture),
    };

    public async Task<Dictionary<string, string>> SecretsEnvironmentAsync(int port)
    {
        var environment = Common(port);
        environment["ConnectionStrings__Secrets"] = await NewDatabaseAsync();
        environment["Authentication__ApiKeys__operator"] = OperatorKey;
        environment["Authentication__ApiKeys__scheduler-service"] = SchedulerSecretsKey;
        environment["Authentication__ApiKeys__notification-service"] = NotificationSecretsKey;
        return environment;
    }

    public Dictionary<string, string> SimulatorEnvironment(int port)
    {
        var environment = Common(port);
        environment["Simulator__RequiredApiKey"] = SurgiCaseApiKey;
        return environment;
    }

    public async Task<Dictionary<string, string>> NotificationEnvironmentAsync(int port, int secretsPort, int schedulerPort)
    {
        var environment = Common(port);
        environment["ConnectionStrings__Notifications"] = await NewDatabaseAsync();
        environment["SecretsClient__BaseAddress"] = $"http://127.0.0.1:{secretsPort}/";
        environment["SecretsClient__ApiKey"] = NotificationSecretsKey;
        environment["Notifications__Sender"] = Sender;
        environment["Notifications__OperationsPageUrl"] = $"http://127.0.0.1:{schedulerPort}/";
        environment["DataProtection__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        environment["Authentication__ApiKeys__operator"] = OperatorKey;
        return environment;
    }

    public async Task<Dictionary<string, string>> SchedulerEnvironmentAsync(int port, int secretsPort, int simulatorPort, int notificationPort)
    {
        var environment = Common(port);
        environment["ConnectionStrings__Scheduler"] = await NewDatabaseAsync();
        environment["SurgiCaseApi__BaseAddress"] = $"http://127.0.0.1:{simulatorPort}/";
        environment["SecretsClient__BaseAddress"] = $"http://127.0.0.1:{secretsPort}/";
        environment["SecretsClient__ApiKey"] = SchedulerSecretsKey;
        environment["Operations__NotificationsBaseAddress"] = $"http://127.0.0.1:{notificationPort}/";
        environment["Operations__NotificationsApiKey"] = OperatorKey;
        environment["Operations__SecretsApiKey"] = OperatorKey;
        environment["DataProtection__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        environment["Authentication__ApiKeys__operator"] = OperatorKey;
        // No identity provider here: the operator key signs in to the page, as the explicit break-glass setting.
        environment["Operations__BreakGlassKeySignIn"] = "true";
        // The payment report's first attempt is its last, so its alert goes out at once instead of after two retries.
        environment["Scheduler__Jobs__0__Retry__MaxAttempts"] = "1";
        return environment;
    }

    /// <summary>The environment of one service with every other service's address on a port of its own.</summary>
    public async Task<Dictionary<string, string>> EnvironmentAsync(string service, int port) => service switch
    {
        "secrets-service" => await SecretsEnvironmentAsync(port),
        "api-simulator" => SimulatorEnvironment(port),
        "notification-service" => await NotificationEnvironmentAsync(port, NewPort(), NewPort()),
        "scheduler-service" => await SchedulerEnvironmentAsync(port, NewPort(), NewPort(), NewPort()),
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
    };
}

[CollectionDefinition(Name)]
public sealed class ImageCollection : ICollectionFixture<ImageStack>
{
    public const string Name = "images";
}
