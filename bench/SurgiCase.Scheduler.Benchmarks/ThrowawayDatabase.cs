using Dapper;
using Npgsql;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>A fresh PostgreSQL database on the given server, dropped afterwards.</summary>
internal sealed class ThrowawayDatabase(string admin, string name)
{
    public string ConnectionString { get; } = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();

    public static async Task<ThrowawayDatabase> CreateAsync(string admin)
    {
        var name = "scheduler_bench_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(admin);
        await connection.ExecuteAsync($"CREATE DATABASE {name}");
        return new ThrowawayDatabase(admin, name);
    }

    public async Task DropAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {new NpgsqlConnectionStringBuilder(ConnectionString).Database} WITH (FORCE)");
    }
}
