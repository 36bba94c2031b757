using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Runs;

/// <summary>The scheduler's SQLite file under <c>Scheduler:DataDirectory</c>, and its schema.</summary>
internal sealed class SqliteDatabase
{
    private readonly string _connectionString;

    public SqliteDatabase(IOptions<SchedulerOptions> options, IHostEnvironment environment)
    {
        var folder = Path.GetFullPath(options.Value.DataDirectory, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        FilePath = Path.Combine(folder, "scheduler.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Shared,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL lets the API read history while a run writes its result.
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await connection.ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS runs (
                run_id        TEXT PRIMARY KEY,
                job_id        TEXT NOT NULL,
                trigger       TEXT NOT NULL,
                requested_by  TEXT NULL,
                queued_at     TEXT NOT NULL,
                started_at    TEXT NULL,
                finished_at   TEXT NULL,
                outcome       TEXT NOT NULL,
                attempts      INTEGER NOT NULL DEFAULT 0,
                error_kind    TEXT NULL,
                error_message TEXT NULL,
                trace_id      TEXT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_runs_job_queued ON runs (job_id, queued_at DESC);
            """);
    }
}

/// <summary>Creates the schema before anything else starts, so the first run never meets a missing table.</summary>
internal sealed class DatabaseInitializer(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
