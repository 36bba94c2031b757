using Microsoft.Data.Sqlite;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The delivery log in one SQLite file (the default).</summary>
public sealed class SqliteDeliveryLogTests : DeliveryLogTests
{
    private readonly TempDirectory _dir = new();

    private string FilePath => Path.Combine(_dir.Path, DeliveryLogSchema.SqliteFileName);

    protected override SqlDatabase OpenDatabase() => new SqliteDatabase(FilePath, [DeliveryLogSchema.Table]);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _dir.Dispose();
    }

    [LinuxOnlyFact]
    public async Task A_failed_schema_creation_leaves_no_connection_open()
    {
        var log = NewLog();
        await File.WriteAllTextAsync(FilePath, new string('x', 4096)); // not a database: creating the table fails

        await Assert.ThrowsAsync<SqliteException>(() => log.TryClaimAsync(Request(NewEventId()), CancellationToken.None));

        // A disposed connection went back to the pool, which this closes; a leaked one keeps its file open.
        SqliteConnection.ClearAllPools();
        var open = Directory.GetFiles("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && target.StartsWith(FilePath, StringComparison.Ordinal));
        Assert.Empty(open);
    }
}

/// <summary>A fact that reads Linux's <c>/proc</c>: reported as skipped elsewhere, never as passed.</summary>
internal sealed class LinuxOnlyFactAttribute : FactAttribute
{
    public LinuxOnlyFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "reads the process's open files from Linux's /proc";
        }
    }
}
