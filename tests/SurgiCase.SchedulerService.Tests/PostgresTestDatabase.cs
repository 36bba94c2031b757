using Dapper;
using Npgsql;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A fresh database on the server named by SURGICASE_TEST_POSTGRES (`.ci/postgres.sh` starts one), dropped afterwards.
/// Its settings put the scheduler in cluster mode: history in PostgreSQL, Quartz clustered on it.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncLifetime
{
    private readonly string _name = "scheduler_test_" + Guid.NewGuid().ToString("N")[..12];
    private string _admin = null!;

    public string ConnectionString { get; private set; } = null!;

    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ConnectionStrings:Scheduler"] = ConnectionString,
        ["Scheduler:ClusterCheckinInterval"] = "00:00:02",
    };

    public async Task InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable("SURGICASE_TEST_POSTGRES")
            ?? throw new InvalidOperationException(
                "SURGICASE_TEST_POSTGRES is not set: start PostgreSQL with `source .ci/postgres.sh; start_postgres` (it exports the variable).");
        await using (var admin = new NpgsqlConnection(_admin))
        {
            await admin.ExecuteAsync($"CREATE DATABASE {_name}");
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(_admin) { Database = _name }.ToString();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(_admin);
        await admin.ExecuteAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
    }
}
