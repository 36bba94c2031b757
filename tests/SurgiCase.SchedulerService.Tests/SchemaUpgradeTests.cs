using Dapper;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>A database an older version created gets the columns added since, keeping its rows, on either engine.</summary>
public abstract class SchemaUpgradeTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private readonly string _sqliteFile = Path.Combine(SchedulerApp.NewDataDirectory(), "scheduler.db");

    protected override Task InitializeTestAsync() => Task.CompletedTask;

    protected override Task DisposeTestAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_runs_table_without_severity_gets_the_column_and_keeps_its_rows()
    {
        // The runs table as the version before severities created it.
        var old = new SqlSchema("scheduler", sql => $"""
            CREATE TABLE IF NOT EXISTS runs (
                run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, trigger TEXT NOT NULL, requested_by TEXT NULL, queued_at TEXT NOT NULL,
                started_at TEXT NULL, finished_at TEXT NULL, outcome TEXT NOT NULL, attempts {sql.Integer} NOT NULL DEFAULT 0,
                error_kind TEXT NULL, error_message TEXT NULL, trace_id TEXT NULL{sql.SequenceColumn});
            INSERT INTO runs (run_id, job_id, trigger, queued_at, outcome) VALUES ('old-run', 'job-a', 'schedule', '2026-01-05T09:00:00.0000000Z', 'failed');
            """);
        await using (var before = Open([old]))
        {
            await before.EnsureSchemaAsync(CancellationToken.None);
        }

        // Twice, as a second start (or a second replica) does: the column is not added again.
        for (var start = 0; start < 2; start++)
        {
            await using var after = Open([SchedulerSchema.Tables]);
            await after.EnsureSchemaAsync(CancellationToken.None);
            await using var connection = await after.OpenAsync(CancellationToken.None);
            var row = await connection.QuerySingleAsync<(string RunId, string? Severity)>("SELECT run_id, severity FROM runs");
            Assert.Equal(("old-run", (string?)null), row);
        }
    }

    private SqlDatabase Open(IEnumerable<SqlSchema> schemas) =>
        Storage.GetValueOrDefault("ConnectionStrings:Scheduler") is { } connectionString
            ? new PostgresDatabase(connectionString, schemas)
            : new SqliteDatabase(_sqliteFile, schemas);
}

public sealed class SchemaUpgradeSqliteTests() : SchemaUpgradeTests(null);

public sealed class SchemaUpgradePostgresTests() : SchemaUpgradeTests(new PostgresTestDatabase());
