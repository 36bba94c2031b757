using Npgsql;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// A fresh PostgreSQL database for one test class, on the server named by <c>SURGICASE_TEST_POSTGRES</c>
/// (CI starts it with .ci/postgres.sh). Without that variable the tests fail, never skip: a green run must
/// mean the PostgreSQL path was exercised.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    public const string Variable = "SURGICASE_TEST_POSTGRES";

    private string? _serverConnectionString;

    public string Name { get; } = $"notif_test_{Guid.NewGuid():N}"[..24];

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _serverConnectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(_serverConnectionString))
        {
            throw new InvalidOperationException(
                $"{Variable} is not set. The PostgreSQL delivery-log tests need a server: run " +
                $"`cd /work/main && source .ci/postgres.sh && start_postgres` and export {Variable} as it prints " +
                "(e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).");
        }

        await using (var server = new NpgsqlConnection(_serverConnectionString))
        {
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", server);
            await create.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = Name }.ToString();
    }

    public async Task DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(_serverConnectionString) || ConnectionString.Length == 0)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var server = new NpgsqlConnection(_serverConnectionString);
        await server.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", server);
        await drop.ExecuteNonQueryAsync();
    }
}
