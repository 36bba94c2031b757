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

/// <summary>
/// An outbox on a SQLite file, or on PostgreSQL when given a test database, with its dispatcher on a fake clock, for
/// the dispatcher's own tests. <see cref="NewDispatcher"/> adds another replica's dispatcher on the same database.
/// </summary>
public sealed class OutboxBed(IJobEventPublisher publisher, OutboxOptions options, PostgresTestDatabase? postgres = null) : IAsyncLifetime
{
    private readonly List<OutboxDispatcher> _dispatchers = [];
    private readonly TempDirectory _data = new();
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private SqlDatabase _database = null!;

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    public OutboxOptions Options { get; } = options;

    public SqlOutboxStore Outbox { get; private set; } = null!;

    public OutboxMetrics Metrics { get; private set; } = null!;

    public OutboxDispatcher Dispatcher { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (postgres is not null)
        {
            await postgres.InitializeAsync();
            _database = new PostgresDatabase(postgres.ConnectionString, [OutboxSchema.Table]);
        }
        else
        {
            _database = new SqliteDatabase(Path.Combine(_data.Path, "outbox.db"), [OutboxSchema.Table]);
        }

        await _database.EnsureSchemaAsync(default);
        Outbox = new SqlOutboxStore(_database);
        Metrics = new OutboxMetrics(_meters.GetRequiredService<IMeterFactory>(), Time);
        Dispatcher = NewDispatcher();
    }

    /// <summary>A dispatcher of another replica: same database, same transport, its own claim owner.</summary>
    public OutboxDispatcher NewDispatcher()
    {
        var dispatcher = new OutboxDispatcher(new SqlOutboxStore(_database), publisher, Microsoft.Extensions.Options.Options.Create(Options),
            Metrics, Time, NullLogger<OutboxDispatcher>.Instance);
        _dispatchers.Add(dispatcher);
        return dispatcher;
    }

    public async Task DisposeAsync()
    {
        _dispatchers.ForEach(d => d.Dispose());
        await _meters.DisposeAsync();
        await _database.DisposeAsync();
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        _data.Dispose();
    }

    public JobRecovered Recovered(string runId) =>
        new(Guid.NewGuid().ToString(), Time.GetUtcNow(), "pool-stats", "Pool stats", runId, "host", Time.GetUtcNow(), 1);
}
