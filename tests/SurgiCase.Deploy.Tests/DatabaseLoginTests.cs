using System.Text.Json.Nodes;
using SurgiCase.Storage.Provisioning;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Least privilege in the stack's PostgreSQL: each service connects as its own role with its own password, only the
/// one-shot setup task holds the master login, and the services start only after that task created their logins.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class DatabaseLoginTests
{
    private static readonly Dictionary<string, ServiceDatabaseLogin> Logins = new(StringComparer.Ordinal)
    {
        ["scheduler-service"] = ServiceDatabaseLogin.Scheduler,
        ["notification-service"] = ServiceDatabaseLogin.Notifications,
        ["secrets-service"] = ServiceDatabaseLogin.Secrets,
    };

    private static TemplateJson Json => SynthesizedStack.Default.Json;

    [Fact]
    public void No_task_but_the_setup_task_gets_the_master_login()
    {
        // The master password as ECS reads it: through the instance's secret attachment, or the secret itself.
        var secret = SecretId("surgicase-internal/production/database-login");
        var master = Json.Resources("AWS::SecretsManager::SecretTargetAttachment")
            .Where(a => (string?)a.Resource["Properties"]!["SecretId"]!["Ref"] == secret)
            .Select(a => a.Id)
            .Append(secret)
            .ToList();
        var holders = Json.Resources("AWS::ECS::TaskDefinition")
            .Where(t => master.Any(id => TemplateJson.Canonical(t.Resource["Properties"]!["ContainerDefinitions"]).Contains($"\"{id}\"", StringComparison.Ordinal)))
            .Select(t => (string)t.Resource["Properties"]!["Family"]!)
            .ToList();

        Assert.Equal(["surgicase-production-database-setup"], holders);
    }

    [Theory]
    [InlineData("scheduler-service", "ConnectionStrings__Scheduler")]
    [InlineData("notification-service", "ConnectionStrings__Notifications")]
    [InlineData("secrets-service", "ConnectionStrings__Secrets")]
    public void Each_service_logs_in_as_its_own_role_with_its_own_password(string name, string key)
    {
        var service = Json.Service(name);
        var login = Logins[name];

        var connection = TemplateJson.Canonical(service.Environment[key]);
        Assert.Contains($";Username={login.Role};", connection, StringComparison.Ordinal);
        Assert.EndsWith($";Search Path={login.Schema}", connection.TrimEnd('"', ']', '}'), StringComparison.Ordinal);
        var password = TemplateJson.Canonical(service.Secrets["PGPASSWORD"]);
        Assert.Contains($"\"{SecretId($"surgicase-internal/production/database-login-{login.Schema}")}\"", password, StringComparison.Ordinal);
        Assert.EndsWith(":password::", password.TrimEnd('"', ']', '}'), StringComparison.Ordinal);
    }

    [Fact]
    public void The_setup_task_provisions_every_login_and_every_service_waits_for_it()
    {
        var setupTask = Json.Resources("AWS::ECS::TaskDefinition")
            .Single(t => (string?)t.Resource["Properties"]!["Family"] == "surgicase-production-database-setup");
        var container = setupTask.Resource["Properties"]!["ContainerDefinitions"]!.AsArray().Single()!;
        Assert.Equal(["--provision-database"], container["Command"]!.AsArray().Select(c => (string)c!));
        var secretNames = container["Secrets"]!.AsArray().Select(s => (string)s!["Name"]!).ToList();
        Assert.Equal(
            ["DatabaseSetup__Passwords__surgicase_notifications", "DatabaseSetup__Passwords__surgicase_scheduler", "DatabaseSetup__Passwords__surgicase_secrets", "PGPASSWORD"],
            secretNames.Order(StringComparer.Ordinal));
        Assert.Contains(";Username=surgicase;", TemplateJson.Canonical(container["Environment"]), StringComparison.Ordinal);

        var run = Assert.Single(Json.Resources("Custom::SurgiCaseDatabaseSetup"));
        Assert.Equal(setupTask.Id, (string?)run.Resource["Properties"]!["TaskDefinition"]!["Ref"]);
        foreach (var name in Logins.Keys)
        {
            var dependsOn = Json.Service(name).Service["DependsOn"]?.AsArray().Select(d => (string)d!) ?? [];
            Assert.Contains(run.Id, dependsOn);
        }
    }

    [Fact]
    public void The_scheduler_and_notification_service_have_their_own_key_encryption_keys()
    {
        var scheduler = TemplateJson.Canonical(Json.Service("scheduler-service").Secrets["DataProtection__KeyEncryptionKey"]);
        var notifications = TemplateJson.Canonical(Json.Service("notification-service").Secrets["DataProtection__KeyEncryptionKey"]);

        Assert.Contains(SecretId("surgicase-internal/production/scheduler-data-protection-key"), scheduler, StringComparison.Ordinal);
        Assert.Contains(SecretId("surgicase-internal/production/data-protection-key"), notifications, StringComparison.Ordinal);
    }

    private static string SecretId(string name) => Json.IdOf("AWS::SecretsManager::Secret", "Name", name);
}
