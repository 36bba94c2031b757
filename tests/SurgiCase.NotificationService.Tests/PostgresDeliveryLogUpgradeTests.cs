using System.Data.Common;
using Dapper;
using Npgsql;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The in-place upgrade of a first-release PostgreSQL database. The class shares one database; each test keeps its
/// tables in a schema of its own (the first on its search path, as a service sharing an RDS instance does).
/// </summary>
public sealed class PostgresDeliveryLogUpgradeTests(PostgresTestDatabase database) : DeliveryLogUpgradeTests, IClassFixture<PostgresTestDatabase>
{
    private readonly string _schema = "upgrade_" + Guid.NewGuid().ToString("N")[..12];

    private string ConnectionString => new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = _schema }.ToString();

    private protected override SqlDialect Dialect => SqlDialect.Postgres;

    private protected override SqlDatabase OpenDatabase() => new SurgiCase.Storage.PostgresDatabase(ConnectionString, [DeliveryLogSchema.Table]);

    private protected override async Task<DbConnection> OpenRawAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {_schema}");
        return connection;
    }

    private protected override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection) =>
        (await connection.QueryAsync<string>(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = @schema AND table_name = 'delivery_log' ORDER BY ordinal_position",
            new { schema = _schema })).ToList();

    [Fact]
    public async Task Two_replicas_upgrading_one_database_at_once_both_start()
    {
        await CreateFirstReleaseTableAsync();

        var replicas = Enumerable.Range(0, 4).Select(_ => OpenDatabase()).ToList();
        try
        {
            await Task.WhenAll(replicas.Select(r => r.EnsureSchemaAsync(CancellationToken.None)));
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }

        await using var check = await OpenRawAsync();
        var columns = await ColumnsAsync(check);
        Assert.Equal(columns.Distinct().Count(), columns.Count);
        Assert.Contains("in_doubt", columns);
        Assert.Equal(3, await check.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM delivery_log"));
    }
}
