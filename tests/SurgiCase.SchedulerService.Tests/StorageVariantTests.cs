using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Base of the tests that run once per storage: SQLite (no database, no settings) and PostgreSQL in cluster mode,
/// where a fresh database is created before the test's own set-up and dropped after its tear-down.
/// </summary>
public abstract class StorageVariantTests(PostgresTestDatabase? database) : IAsyncLifetime
{
    /// <summary>Storage settings of the variant: none (SQLite) or a PostgreSQL connection string (cluster mode).</summary>
    protected IReadOnlyDictionary<string, string?> Storage => database is null ? new Dictionary<string, string?>() : ClusterSettings.For(database);

    public async Task InitializeAsync()
    {
        if (database is not null)
        {
            await database.InitializeAsync();
        }

        await InitializeTestAsync();
    }

    public async Task DisposeAsync()
    {
        await DisposeTestAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }
    }

    protected abstract Task InitializeTestAsync();

    protected abstract Task DisposeTestAsync();
}
