using Npgsql;
using Xunit;

namespace SurgiCase.Testing;

/// <summary>A fresh database on the test process's <see cref="PostgresServer"/>, dropped afterwards.</summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    private string? _server;

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString { get; private set; } = "";

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
