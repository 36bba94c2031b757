using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Runs;

/// <summary>The scheduler's SQLite file under <c>Scheduler:DataDirectory</c>: the single-node default.</summary>
internal sealed class SqliteDatabase : SchedulerDatabase
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
            // Private cache: with WAL and a busy timeout, concurrent writers wait instead of failing on shared-cache locks.
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string FilePath { get; }

    public override string InsertionOrder => "rowid";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    public override async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        // WAL lets the API read history while a run writes its result.
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;");
        await connection.ExecuteAsync(Schema("INTEGER", ""));
    }
}
