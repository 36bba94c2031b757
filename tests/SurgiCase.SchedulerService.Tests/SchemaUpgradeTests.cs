using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A database an older version created (no migration history) gets the columns added since, keeping its rows, and a
/// history that says it is at the latest version, on either engine.
/// </summary>
public abstract class SchemaUpgradeTests(PostgresTestDatabase? database) : StorageVariantTests(database)
{
    private readonly string _sqliteFile = Path.Combine(SchedulerApp.NewDataDirectory(), "scheduler.db");

    private string? ConnectionString => Storage.GetValueOrDefault("ConnectionStrings:Scheduler");

    protected override Task InitializeTestAsync() => Task.CompletedTask;

    protected override Task DisposeTestAsync()
    {
        SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(false)] // the version before severities
    [InlineData(true)] // the last version before the history: every column there already
    public async Task A_runs_table_an_earlier_version_made_is_brought_to_the_latest_version_and_keeps_its_rows(bool hadLaterColumns)
    {
        var laterColumns = hadLaterColumns ? $", severity TEXT NULL, failed_item_count {Dialect.Integer} NOT NULL DEFAULT 0" : "";
        // The runs table as an earlier version created it, with no history: the baseline case.
        await using (var raw = await OpenRawAsync())
        {
            await raw.ExecuteAsync($"""
                CREATE TABLE runs (
                    run_id TEXT PRIMARY KEY, job_id TEXT NOT NULL, trigger TEXT NOT NULL, requested_by TEXT NULL, queued_at TEXT NOT NULL,
                    started_at TEXT NULL, finished_at TEXT NULL, outcome TEXT NOT NULL, attempts {Dialect.Integer} NOT NULL DEFAULT 0,
                    error_kind TEXT NULL, error_message TEXT NULL, trace_id TEXT NULL{laterColumns}{Dialect.SequenceColumn});
                INSERT INTO runs (run_id, job_id, trigger, queued_at, outcome) VALUES ('old-run', 'job-a', 'schedule', '2026-01-05T09:00:00.0000000Z', 'failed');
                """);
        }

        // Twice, as a second start (or a second replica) does: the column is not added again.
        for (var start = 0; start < 2; start++)
        {
            await using var after = Open([SchedulerSchema.Tables]);
            await after.EnsureSchemaAsync(CancellationToken.None);
            await using var connection = await after.OpenAsync(CancellationToken.None);
            var row = await connection.QuerySingleAsync<(string RunId, string? Severity, long FailedItemCount)>(
                "SELECT run_id, severity, failed_item_count FROM runs");
            Assert.Equal(("old-run", (string?)null, 0L), row);
            Assert.Equal(
                [1L, 2L, 3L, 4L],
                await connection.QueryAsync<long>("SELECT version FROM schema_history WHERE schema_name = 'scheduler' ORDER BY version"));
            // Version 4 (issue 18: sign-out revocations) made its table, empty.
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM revoked_sessions"));
        }
    }

    [Fact]
    public async Task A_migration_added_later_runs_once_on_the_next_start_and_never_again()
    {
        var first = new SqlSchema("tally", SqlMigration.Run(1, "tally", _ => "CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL);"));
        var second = new SqlSchema("tally", [.. first.Migrations, SqlMigration.Run(2, "count one", _ => "INSERT INTO tally (n) VALUES (1);")]);

        await StartAsync(first);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM tally"));

        // Not idempotent on purpose: only the history keeps it from running at every start.
        await StartAsync(second);
        await StartAsync(second);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM tally"));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM schema_history WHERE schema_name = 'tally'"));
    }

    [Fact]
    public async Task Replicas_starting_together_apply_each_migration_once()
    {
        var schema = new SqlSchema(
            "tally",
            SqlMigration.Run(1, "tally", _ => "CREATE TABLE IF NOT EXISTS tally (n INTEGER NOT NULL);"),
            SqlMigration.Run(2, "count one", _ => "INSERT INTO tally (n) VALUES (1);"));

        var replicas = Enumerable.Range(0, 4).Select(_ => Open([schema])).ToList();
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

        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM tally"));
    }

    [Fact]
    public async Task A_failing_migration_leaves_none_of_its_start_behind()
    {
        await StartAsync(SchedulerSchema.Tables);
        var broken = new SqlSchema(
            "tally",
            SqlMigration.Run(1, "tally", _ => "CREATE TABLE tally (n INTEGER NOT NULL); INSERT INTO tally (n) VALUES (1);"),
            SqlMigration.Run(2, "broken", _ => "INSERT INTO no_such_table (n) VALUES (1);"));

        await Assert.ThrowsAnyAsync<DbException>(() => StartAsync(broken));

        // Version 1 ran in the same transaction as the failed version 2, so neither it nor its history row is there.
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM schema_history WHERE schema_name = 'tally'"));
        var fixedSchema = new SqlSchema("tally", broken.Migrations[0], SqlMigration.Run(2, "fixed", _ => "INSERT INTO tally (n) VALUES (2);"));
        await StartAsync(fixedSchema);
        Assert.Equal(3, await CountAsync("SELECT SUM(n) FROM tally"));
    }

    [Fact]
    public async Task A_revoked_session_is_refused_until_it_expires_and_the_retention_sweep_then_deletes_it()
    {
        await using var database = Open([SchedulerSchema.Tables]);
        await database.EnsureSchemaAsync(CancellationToken.None);
        var store = new SqlSessionRevocationStore(database);
        var now = new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
        var (signedOut, otherSession) = ($"s-{Guid.NewGuid():N}", $"s-{Guid.NewGuid():N}");
        await store.RevokeAsync(signedOut, now.AddHours(12), CancellationToken.None);

        Assert.True(await store.IsRevokedAsync(signedOut, now, CancellationToken.None));
        Assert.False(await store.IsRevokedAsync(otherSession, now, CancellationToken.None));
        Assert.Equal(0, await new RevokedSessionsRetentionStep(database).SweepAsync(now, CancellationToken.None));
        Assert.Equal(1, await new RevokedSessionsRetentionStep(database).SweepAsync(now.AddHours(12), CancellationToken.None));
        Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM revoked_sessions WHERE session_id = '{signedOut}'"));
    }

    [Fact]
    public void Migrations_out_of_order_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new SqlSchema(
            "tally", SqlMigration.Run(2, "two", _ => ""), SqlMigration.Run(1, "one", _ => "")));
        Assert.Contains("versions ascending", error.Message, StringComparison.Ordinal);
    }

    private async Task StartAsync(SqlSchema schema)
    {
        await using var database = Open([schema]);
        await database.EnsureSchemaAsync(CancellationToken.None);
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var raw = await OpenRawAsync();
        return await raw.ExecuteScalarAsync<long>(sql);
    }

    private SqlDialect Dialect => ConnectionString is null ? SqlDialect.Sqlite : SqlDialect.Postgres;

    private protected SqlDatabase Open(IEnumerable<SqlSchema> schemas) =>
        ConnectionString is { } connectionString
            ? new PostgresDatabase(connectionString, schemas)
            : new SqliteDatabase(_sqliteFile, schemas);

    /// <summary>A plain connection to the same database, outside the storage seam (an older version's view of it).</summary>
    private protected async Task<DbConnection> OpenRawAsync()
    {
        DbConnection connection = ConnectionString is { } connectionString
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection($"Data Source={_sqliteFile}");
        Directory.CreateDirectory(Path.GetDirectoryName(_sqliteFile)!);
        await connection.OpenAsync();
        return connection;
    }
}

public sealed class SchemaUpgradeSqliteTests() : SchemaUpgradeTests(null);

public sealed class SchemaUpgradePostgresTests() : SchemaUpgradeTests(new PostgresTestDatabase());
