using Npgsql;
using SurgiCase.Storage.Provisioning;
using Xunit;

namespace SurgiCase.Testing;

/// <summary>
/// A fresh database on the test process's <see cref="PostgresServer"/>, dropped afterwards, with each service's own login
/// provisioned as in cluster mode (<see cref="PostgresProvisioner"/>): <see cref="Scheduler"/>, <see cref="Notifications"/>
/// and <see cref="Secrets"/> connect as those roles, <see cref="ConnectionString"/> as the server's superuser.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    // The roles are the server's, shared by every test database on it: one provisioning run at a time changes them.
    private static readonly SemaphoreSlim ProvisionLock = new(1, 1);
    private string? _server;

    /// <summary>The test server trusts local connections, so the password is not checked; it is still set as in production.</summary>
    public const string LoginPassword = "test-login-password-0123456789abcdef";

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>The superuser, standing in for the master login.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The scheduler's own login, its schema first on the search path.</summary>
    public string Scheduler => Login(ServiceDatabaseLogin.Scheduler);

    /// <summary>NotificationService's own login.</summary>
    public string Notifications => Login(ServiceDatabaseLogin.Notifications);

    /// <summary>SecretsService's own login.</summary>
    public string Secrets => Login(ServiceDatabaseLogin.Secrets);

    public string Login(ServiceDatabaseLogin login) => login.ConnectionString(ConnectionString, LoginPassword);

    /// <summary>Runs the provisioning step with the superuser (again: it is idempotent, and upgrades a database made before the logins).</summary>
    public Task ProvisionLoginsAsync() => WithRolesLockedAsync(() =>
        PostgresProvisioner.ProvisionAsync(ConnectionString, ServiceDatabaseLogin.All.Select(login => (login, LoginPassword)), CancellationToken.None));

    /// <summary>Runs <paramref name="action"/> while no other test of this process changes the server's roles.</summary>
    public static async Task WithRolesLockedAsync(Func<Task> action)
    {
        await ProvisionLock.WaitAsync();
        try
        {
            await action();
        }
        finally
        {
            ProvisionLock.Release();
        }
    }

    public async Task InitializeAsync()
    {
        _server = (await PostgresServer.GetAsync()).ConnectionString;
        await using (var server = new NpgsqlConnection(_server))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", server);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_server) { Database = Name }.ToString();
        await ProvisionLoginsAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(_server);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
