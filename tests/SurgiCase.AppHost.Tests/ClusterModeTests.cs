using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// <c>--Cluster=true</c>: every service on the local PostgreSQL logs in as its own role with its own password and
/// schema, none as the superuser, and each has its own Data Protection key-encryption key. The model is built, not started.
/// </summary>
public sealed class ClusterModeTests
{
    private static readonly (string Resource, string ConnectionKey, string Role, string Schema, string Password, string KeyEncryptionKey)[] Services =
    [
        ("scheduler-service", "ConnectionStrings__Scheduler", "surgicase_scheduler", "scheduler", "scheduler-database-password", "scheduler-data-protection-key"),
        ("notification-service", "ConnectionStrings__Notifications", "surgicase_notifications", "notifications", "notification-database-password", "data-protection-key"),
        ("secrets-service", "ConnectionStrings__Secrets", "surgicase_secrets", "secrets", "secrets-database-password", "secrets-data-protection-key"),
    ];

    [Fact]
    public async Task Each_service_logs_in_as_its_own_role_with_its_own_key_encryption_key()
    {
        await using var app = await CloudModeTests.BuildAsync(["--Cluster=true"]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        foreach (var service in Services)
        {
            var environment = await CloudModeTests.EnvironmentOf(model, service.Resource);
            var connection = environment[service.ConnectionKey];
            Assert.Contains($";Username={service.Role};", connection, StringComparison.Ordinal);
            Assert.Contains($";Password={{{service.Password}.value}};", connection, StringComparison.Ordinal);
            Assert.EndsWith($";Search Path={service.Schema}", connection, StringComparison.Ordinal);
            Assert.DoesNotContain("postgres;", connection.Replace("Database=postgres;", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Equal($"{{{service.KeyEncryptionKey}.value}}", environment["DataProtection__KeyEncryptionKey"]);
            // No other PostgreSQL login reaches the service by another key.
            Assert.Single(environment.Values, v => v.Contains("Username=", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Without_cluster_mode_no_service_has_a_connection_string_but_each_its_own_key_encryption_key()
    {
        await using var app = await CloudModeTests.BuildAsync([]);
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();

        foreach (var service in Services)
        {
            var environment = await CloudModeTests.EnvironmentOf(model, service.Resource);
            Assert.DoesNotContain(service.ConnectionKey, environment.Keys);
            Assert.Equal($"{{{service.KeyEncryptionKey}.value}}", environment["DataProtection__KeyEncryptionKey"]);
        }
    }
}
