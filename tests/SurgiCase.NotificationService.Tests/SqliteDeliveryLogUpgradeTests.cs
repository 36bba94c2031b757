using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The in-place upgrade of a first-release SQLite file.</summary>
public sealed class SqliteDeliveryLogUpgradeTests : DeliveryLogUpgradeTests
{
    private readonly TempDirectory _dir = new();

    private string FilePath => Path.Combine(_dir.Path, DeliveryLogSchema.SqliteFileName);

    private protected override SqlDialect Dialect => SqlDialect.Sqlite;

    private protected override SqlDatabase OpenDatabase() => new SqliteDatabase(FilePath, [DeliveryLogSchema.Table]);

    private protected override async Task<DbConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={FilePath}");
        await connection.OpenAsync();
        return connection;
    }

    private protected override async Task<IReadOnlyList<string>> ColumnsAsync(DbConnection connection) =>
        (await connection.QueryAsync<string>("SELECT name FROM pragma_table_info('delivery_log') ORDER BY cid")).ToList();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }
}
