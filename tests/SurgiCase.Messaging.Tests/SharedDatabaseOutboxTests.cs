using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>
/// The deployment puts the SecretsService's outbox in the scheduler's PostgreSQL database: with its own schema named by
/// the connection string's search path, each service sees its own rows only (the SecretsService's health counts its
/// waiting alerts, and must not count the scheduler's).
/// </summary>
public sealed class SharedDatabaseOutboxTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();

    public Task InitializeAsync() => _database.InitializeAsync();

    public Task DisposeAsync() => _database.DisposeAsync();

    [Fact]
    public async Task A_service_with_its_own_search_path_keeps_its_own_outbox()
    {
        await using var scheduler = new PostgresDatabase(_database.ConnectionString, [OutboxSchema.Table]);
        await using var secrets = new PostgresDatabase(_database.ConnectionString + ";Search Path=Secrets", [OutboxSchema.Table]);
        var schedulerOutbox = new SqlOutboxStore(scheduler);
        var secretsOutbox = new SqlOutboxStore(secrets);

        await schedulerOutbox.AddAsync(Message("scheduler-run"), default);
        await secretsOutbox.AddAsync(Message("warming-run"), default);
        await secretsOutbox.AddAsync(Message("warming-run-2"), default);

        Assert.Equal(1, await schedulerOutbox.CountPendingAsync(default));
        Assert.Equal(2, await secretsOutbox.CountPendingAsync(default));
        var claimed = await secretsOutbox.ClaimDueAsync("secrets-1", DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow.AddMinutes(2), 10, default);
        Assert.Equal(["warming-run", "warming-run-2"], claimed.Select(m => m.RunId).Order());
    }

    private static OutboxMessage Message(string runId)
    {
        var (messageType, body) = JobEventSerializer.Serialize(SampleEvents.SimpleFailure());
        return new OutboxMessage(Guid.NewGuid().ToString("N"), runId, "job", messageType, body, null, DateTimeOffset.UtcNow);
    }
}
