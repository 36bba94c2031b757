using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.Messaging.Tests;

/// <summary>An outbox on a SQLite file with its dispatcher on a fake clock, for the dispatcher's own tests.</summary>
public sealed class OutboxBed(IJobEventPublisher publisher, OutboxOptions options) : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SqliteDatabase _database = null!;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public OutboxOptions Options { get; } = options;

    public SqlOutboxStore Outbox { get; private set; } = null!;

    public OutboxMetrics Metrics { get; private set; } = null!;

    public OutboxDispatcher Dispatcher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _database = new SqliteDatabase(Path.Combine(_data.Path, "outbox.db"), [OutboxSchema.Table]);
        await _database.EnsureSchemaAsync(default);
        Outbox = new SqlOutboxStore(_database);
        Metrics = new OutboxMetrics(_meters.GetRequiredService<IMeterFactory>(), Time);
        Dispatcher = new OutboxDispatcher(Outbox, publisher, Microsoft.Extensions.Options.Options.Create(Options), Metrics, Time,
            NullLogger<OutboxDispatcher>.Instance);
    }

    public async Task DisposeAsync()
    {
        Dispatcher.Dispose();
        await _meters.DisposeAsync();
        await _database.DisposeAsync();
        _data.Dispose();
    }

    public JobRecovered Recovered(string runId) =>
        new(Guid.NewGuid().ToString(), Time.GetUtcNow(), "pool-stats", "Pool stats", runId, "host", Time.GetUtcNow(), 1);
}
