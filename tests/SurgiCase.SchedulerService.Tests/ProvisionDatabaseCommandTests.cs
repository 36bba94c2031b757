using System.Diagnostics;
using Dapper;
using Npgsql;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// <c>dotnet SurgiCase.SchedulerService.dll --provision-database</c>, as the deployment's setup task runs the image:
/// with the master login and a password per service it creates the three logins and their schemas and exits 0, printing
/// no password; without one of the passwords it exits 1 naming the setting, and changes nothing.
/// </summary>
public sealed class ProvisionDatabaseCommandTests : IAsyncLifetime
{
    private static readonly string[] Roles = ["surgicase_scheduler", "surgicase_notifications", "surgicase_secrets"];
    private readonly PostgresTestDatabase _database = new();

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        // As a database before the setup task ran: none of the services' schemas.
        await using var master = new NpgsqlConnection(_database.ConnectionString);
        await master.ExecuteAsync("DROP SCHEMA scheduler, notifications, secrets CASCADE");
    }

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task It_creates_every_services_login_and_schema_and_exits_0_without_printing_a_password()
    {
        var settings = Roles.ToDictionary(r => $"DatabaseSetup__Passwords__{r}", r => $"{r}-password-{Guid.NewGuid():N}");
        settings["ConnectionStrings__Master"] = _database.ConnectionString;

        var (exitCode, output) = await RunAsync(settings);

        Assert.True(exitCode == 0, output);
        Assert.Contains("surgicase_notifications owns schema notifications", output, StringComparison.Ordinal);
        Assert.All(settings.Where(s => s.Key.StartsWith("DatabaseSetup", StringComparison.Ordinal)), s => Assert.DoesNotContain(s.Value, output, StringComparison.Ordinal));
        Assert.Equal(["notifications surgicase_notifications", "scheduler surgicase_scheduler", "secrets surgicase_secrets"], await SchemasAsync());
    }

    [Fact]
    public async Task Without_a_services_password_it_exits_1_naming_the_setting()
    {
        var settings = Roles.Skip(1).ToDictionary(r => $"DatabaseSetup__Passwords__{r}", r => $"{r}-password-0123456789");
        settings["ConnectionStrings__Master"] = _database.ConnectionString;

        var (exitCode, output) = await RunAsync(settings);

        Assert.Equal(1, exitCode);
        Assert.Contains("DatabaseSetup:Passwords:surgicase_scheduler is not set", output, StringComparison.Ordinal);
        Assert.Empty(await SchemasAsync());
    }

    private async Task<List<string>> SchemasAsync()
    {
        await using var master = new NpgsqlConnection(_database.ConnectionString);
        return (await master.QueryAsync<string>(
            "SELECT nspname || ' ' || pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname IN ('scheduler', 'notifications', 'secrets') ORDER BY 1")).ToList();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings)
    {
        var folder = SchedulerProcess.OutputDirectory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(folder, "SurgiCase.SchedulerService.dll"), "--provision-database"])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var result = (0, "");
        // The roles are the server's: no other test of this process changes them meanwhile.
        await PostgresTestDatabase.WithRolesLockedAsync(async () =>
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            result = (process.ExitCode, await output + await error);
        });
        return result;
    }
}
