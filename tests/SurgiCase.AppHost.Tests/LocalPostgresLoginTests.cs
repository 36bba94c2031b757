using System.Diagnostics;
using Dapper;
using Npgsql;
using SurgiCase.Storage.Provisioning;
using SurgiCase.Testing;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// Cluster mode's PostgreSQL as <c>run-postgres.sh</c> starts it: the superuser reaches it only through the socket in
/// the data folder (where the AppHost creates the services' logins), never over TCP; a service's login needs its password.
/// </summary>
public sealed class LocalPostgresLoginTests : IAsyncLifetime
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("surgicase-pg-").FullName;
    private readonly int _port = MotoServer.FreeTcpPort();
    private Process? _server;

    public async Task InitializeAsync()
    {
        // Its output goes to the test's own: a pipe nobody reads would keep the wait for its exit open.
        _server = Process.Start(new ProcessStartInfo("bash", [RepositoryFolder.Path("SurgiCase.AppHost", "LocalPostgres", "run-postgres.sh"), _dataDirectory, _port.ToString()]))!;
        var clock = Stopwatch.StartNew();
        while (!File.Exists(Path.Combine(_dataDirectory, $".s.PGSQL.{_port}")) || !await AcceptsAsync())
        {
            Assert.False(_server.HasExited, $"run-postgres.sh exited with {(_server.HasExited ? _server.ExitCode : 0)}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the local PostgreSQL did not start within 60 s");
            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        NpgsqlConnection.ClearAllPools();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    [Fact]
    public async Task The_superuser_is_refused_over_tcp_and_a_service_logs_in_only_with_its_password()
    {
        const string password = "scheduler-password-0123456789abcdef";
        await PostgresProvisioner.ProvisionAsync(Socket(), [(ServiceDatabaseLogin.Scheduler, password)], CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.OpenAsync($"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres"));
        Assert.Equal(PostgresErrorCodes.InvalidAuthorizationSpecification, refused.SqlState);
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => PostgresServer.OpenAsync(ServiceDatabaseLogin.Scheduler.ConnectionString(Tcp(), "not-the-password")));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);

        await using var scheduler = await PostgresServer.OpenAsync(ServiceDatabaseLogin.Scheduler.ConnectionString(Tcp(), password));
        Assert.Equal("surgicase_scheduler scheduler", await scheduler.ExecuteScalarAsync<string>("SELECT current_user || ' ' || current_schema()"));
    }

    private string Socket() => $"Host={_dataDirectory};Port={_port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    private string Tcp() => $"Host=127.0.0.1;Port={_port};Database=postgres;Pooling=false;Timeout=5";

    private async Task<bool> AcceptsAsync()
    {
        try
        {
            await using var connection = await PostgresServer.OpenAsync(Socket());
            return true;
        }
        catch (NpgsqlException)
        {
            return false;
        }
    }
}
