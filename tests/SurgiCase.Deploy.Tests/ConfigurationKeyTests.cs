using System.Text.Json.Nodes;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Each task passes exactly configuration its service reads: every environment variable and ECS secret is one of the
/// service's configuration keys (derived from its options, <see cref="ServiceConfigurationKeys"/>) or one of the few
/// variables the platform libraries read; every key the service requires is passed.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class ConfigurationKeyTests
{
    /// <summary>Read by ASP.NET Core, OpenTelemetry and Npgsql themselves, not through our options.</summary>
    private static readonly HashSet<string> PlatformVariables = new(StringComparer.Ordinal)
    {
        "ASPNETCORE_ENVIRONMENT", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_FORWARDEDHEADERS_ENABLED",
        "OTEL_SERVICE_NAME", "OTEL_EXPORTER_OTLP_ENDPOINT", "PGPASSWORD",
    };

    public static TheoryData<string> ServiceNames => ["scheduler-service", "notification-service", "secrets-service", "api-simulator"];

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Every_variable_a_task_passes_is_a_key_its_service_reads(string name)
    {
        var service = SynthesizedStack.Default.Json.Service(name);
        var keys = ServiceConfigurationKeys.Of(service.Assembly);

        var unread = service.Environment.Keys.Concat(service.Secrets.Keys)
            .Where(variable => !PlatformVariables.Contains(variable) && !keys.Reads(variable))
            .ToList();

        Assert.True(unread.Count == 0,
            $"{name} is passed {string.Join(", ", unread)}, which it does not read. It reads: {string.Join(", ", keys.Patterns.Order())}");
    }

    [Theory]
    [MemberData(nameof(ServiceNames))]
    public void Every_key_a_service_requires_is_passed(string name)
    {
        var service = SynthesizedStack.Default.Json.Service(name);
        var passed = service.Environment.Keys.Concat(service.Secrets.Keys)
            .Select(v => v.Replace("__", ":", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var missing = ServiceConfigurationKeys.Of(service.Assembly).Required.Where(key => !passed.Contains(key)).ToList();

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("scheduler-service", "ConnectionStrings:Scheduler")]
    [InlineData("notification-service", "ConnectionStrings:Notifications")]
    [InlineData("secrets-service", "ConnectionStrings:Secrets")]
    public void The_database_services_get_their_connection_string_and_the_password_as_a_secret(string name, string connectionString)
    {
        var service = SynthesizedStack.Default.Json.Service(name);

        Assert.Contains(connectionString, ServiceConfigurationKeys.Of(service.Assembly).ConnectionStrings);
        var value = TemplateJson.Canonical(service.Environment[connectionString.Replace(":", "__", StringComparison.Ordinal)]);
        Assert.Contains("Endpoint.Address", value, StringComparison.Ordinal);
        // The server's certificate is verified against the RDS CAs the images carry (issue 18.6), not merely encrypted.
        Assert.Contains(";SSL Mode=VerifyFull;Root Certificate=/app/rds-ca-bundle.pem", value, StringComparison.Ordinal);
        Assert.DoesNotContain("SSL Mode=Require", value, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", value, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith(":password::", TemplateJson.Canonical(service.Secrets["PGPASSWORD"]).TrimEnd('"', ']', '}'), StringComparison.Ordinal);
    }

    [Fact]
    public void Each_service_keeps_its_tables_in_a_schema_of_its_own_in_the_shared_database()
    {
        var json = SynthesizedStack.Default.Json;
        string ConnectionString(string service, string name) =>
            TemplateJson.Canonical(json.Service(service).Environment["ConnectionStrings__" + name]).TrimEnd('"', ']', '}');

        var secrets = ConnectionString("secrets-service", "Secrets");
        var scheduler = ConnectionString("scheduler-service", "Scheduler");

        // Both have an outbox table; each stays in its own schema, on the same instance and database.
        Assert.EndsWith(";Username=surgicase_secrets;SSL Mode=VerifyFull;Root Certificate=/app/rds-ca-bundle.pem;Search Path=secrets", secrets, StringComparison.Ordinal);
        Assert.EndsWith(";Username=surgicase_scheduler;SSL Mode=VerifyFull;Root Certificate=/app/rds-ca-bundle.pem;Search Path=scheduler", scheduler, StringComparison.Ordinal);
        Assert.Equal(scheduler[..scheduler.IndexOf(";Username=", StringComparison.Ordinal)], secrets[..secrets.IndexOf(";Username=", StringComparison.Ordinal)]);
    }

    [Fact]
    public void Keys_and_passwords_go_as_secrets_never_as_plain_environment()
    {
        foreach (var service in SynthesizedStack.Default.Json.Services())
        {
            foreach (var (key, value) in service.Environment)
            {
                if (key.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                {
                    // Named for its database ("Secrets"): what matters is that it holds no password.
                    Assert.DoesNotContain("Password", TemplateJson.Canonical(value), StringComparison.OrdinalIgnoreCase);
                }
                else
                {
                    Assert.False(LooksSecret(key.Split("__")[^1]), $"{service.Name} passes {key} as plain environment.");
                }
            }
        }
    }

    private static bool LooksSecret(string name) =>
        !name.EndsWith("SecretName", StringComparison.Ordinal)
        && new[] { "ApiKey", "Password", "Secret", "Token" }.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void A_caller_presents_the_key_the_secrets_service_holds_for_it()
    {
        var json = SynthesizedStack.Default.Json;
        var secrets = json.Service("secrets-service");
        foreach (var caller in new[] { "scheduler-service", "notification-service" })
        {
            var presented = TemplateJson.Canonical(json.Service(caller).Secrets["SecretsClient__ApiKey"]);
            Assert.Equal(TemplateJson.Canonical(secrets.Secrets[$"Authentication__ApiKeys__{caller}"]), presented);
            Assert.Equal("http://secrets-service/", (string?)json.Service(caller).Environment["SecretsClient__BaseAddress"]);
        }

        // The page reads alerts and the cache with its own read-only caller's key, not an operator key.
        var pageKey = TemplateJson.Canonical(json.Service("scheduler-service").Secrets["Operations__NotificationsApiKey"]);
        Assert.Equal(TemplateJson.Canonical(json.Service("notification-service").Secrets["Authentication__ApiKeys__operations-page"]), pageKey);
        Assert.Equal(TemplateJson.Canonical(secrets.Secrets["Authentication__ApiKeys__operations-page"]), pageKey);
        Assert.Equal(pageKey, TemplateJson.Canonical(json.Service("scheduler-service").Secrets["Operations__SecretsApiKey"]));
        Assert.NotEqual(TemplateJson.Canonical(json.Service("notification-service").Secrets["Authentication__ApiKeys__operator"]), pageKey);
    }

    [Fact]
    public void Each_service_has_its_own_operator_key_and_the_scheduler_holds_none_of_the_others()
    {
        var json = SynthesizedStack.Default.Json;
        var operatorKeys = new[] { "scheduler-service", "notification-service", "secrets-service" }
            .Select(service => TemplateJson.Canonical(json.Service(service).Secrets["Authentication__ApiKeys__operator"]))
            .ToList();
        Assert.Equal(3, operatorKeys.Distinct().Count());

        var held = json.Service("scheduler-service").Secrets.Values.Select(TemplateJson.Canonical).ToHashSet();
        Assert.DoesNotContain(operatorKeys[1], held);
        Assert.DoesNotContain(operatorKeys[2], held);
    }

    [Fact]
    public void Every_caller_with_a_key_has_an_allow_list_in_the_secrets_service()
    {
        var appsettings = JsonNode.Parse(File.ReadAllText(RepositoryFolder.Path("SurgiCase.SecretsService", "appsettings.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        var callers = appsettings["Secrets"]!["Callers"]!.AsObject().Select(c => c.Key).ToHashSet(StringComparer.Ordinal);

        var keyed = SynthesizedStack.Default.Json.Service("secrets-service").Secrets.Keys
            .Where(k => k.StartsWith("Authentication__ApiKeys__", StringComparison.Ordinal))
            .Select(k => k["Authentication__ApiKeys__".Length..])
            // The operator and the operations page's read-only caller read no secret values, so they have no list.
            .Where(caller => caller is not ("operator" or "operations-page"))
            .ToList();

        // The scheduler's and NotificationService's keys at least: an empty set would pass the check below vacuously.
        Assert.Equal(["notification-service", "scheduler-service"], keyed.Order());
        Assert.All(keyed, caller => Assert.Contains(caller, callers));
    }

    [Fact]
    public void The_derivation_knows_real_keys_from_made_up_ones()
    {
        var scheduler = ServiceConfigurationKeys.Of(System.Reflection.Assembly.Load("SurgiCase.SchedulerService"));
        var notifications = ServiceConfigurationKeys.Of(System.Reflection.Assembly.Load("SurgiCase.NotificationService"));

        Assert.True(scheduler.Reads("Scheduler__Jobs__0__Cron"));
        Assert.True(scheduler.Reads("Scheduler:CircuitBreaker:FailureThreshold"));
        Assert.True(scheduler.Reads("Authentication__ApiKeys__operator"));
        Assert.True(scheduler.Reads("Aws__Region"));
        Assert.False(scheduler.Reads("Scheduler__Jobz__0__Cron"));
        Assert.False(scheduler.Reads("Notifications__Sender"));
        Assert.False(scheduler.Reads("Aws__RegionEndpoint"));
        Assert.True(notifications.Reads("Notifications__Webhook__SecretName"));
        Assert.True(notifications.Reads("Aws__Ses__ConfigurationSetName"));
        Assert.True(scheduler.Reads("Scheduler__Outbox__RetryMaxDelay"));
        Assert.True(scheduler.Reads("Operations__RefreshSeconds"));
        Assert.True(scheduler.Reads("ConnectionStrings__Scheduler"));
        Assert.False(notifications.Reads("Scheduler__Outbox__RetryMaxDelay"));
        var secrets = ServiceConfigurationKeys.Of(System.Reflection.Assembly.Load("SurgiCase.SecretsService"));
        Assert.True(secrets.Reads("Secrets__Outbox__PollInterval"));
        Assert.True(secrets.Reads("ConnectionStrings__Secrets"));
        Assert.True(secrets.Reads("Messaging__QueueName"));
        Assert.False(secrets.Reads("Secrets__Outbox__Interval"));
        Assert.Contains("SecretsClient:ApiKey", notifications.Required);
    }
}
