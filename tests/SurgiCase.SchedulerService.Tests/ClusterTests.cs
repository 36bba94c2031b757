using Dapper;
using Npgsql;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Two scheduler hosts (separate Quartz instance ids) sharing a real PostgreSQL: a one-second cluster job runs once
/// per fire time across both, and when one host stops the other keeps firing.
/// </summary>
public sealed class ClusterTests : IAsyncLifetime
{
    private const string JobId = "every-second-cluster";
    private readonly SimulatorHost _simulator = new();
    private readonly PostgresTestDatabase _database = new();
    private string _connectionString = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _connectionString = _database.Scheduler;
        await _simulator.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await _database.DisposeAsync();
    }

    private SchedulerApp NewReplica(string instanceId) => new(
        _simulator.BaseAddress,
        SchedulerApp.Job(7, JobId, "/api/reports/referral", enabled: true, cron: "* * * * * ?", name: "Pool Stats", displayName: "Pool stats")
            .Concat(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Scheduler"] = _connectionString,
                ["Scheduler:InstanceId"] = instanceId,
                ["Scheduler:ClusterCheckinInterval"] = "00:00:02",
            }),
        publisher: new RecordingPublisher());

    [Fact]
    public async Task A_cluster_job_runs_once_per_fire_time_across_replicas_and_survives_losing_one()
    {
        var a = NewReplica("replica-a");
        using var b = NewReplica("replica-b");
        using var clientA = a.CreateOperatorClient();
        using var clientB = b.CreateOperatorClient();

        var firstWindow = await CollectFireTimesAsync(from: DateTimeOffset.UtcNow, count: 45);
        Assert.All(firstWindow, g => Assert.True(g.Runs == 1, $"fire time {g.FireTime:O} ran {g.Runs} times"));
        Assert.True(firstWindow.Select(g => g.Host).Distinct().Count() >= 1);

        // Replica A goes away (host disposed in-process: the nearest to a kill an in-process test gets); B carries on alone.
        var stoppedAt = DateTimeOffset.UtcNow;
        a.Dispose();
        var afterStop = await CollectFireTimesAsync(from: stoppedAt.AddSeconds(3), count: 15);
        Assert.All(afterStop, g => Assert.True(g.Runs == 1, $"fire time {g.FireTime:O} ran {g.Runs} times after the stop"));
    }

    private async Task<List<(DateTimeOffset FireTime, int Runs, string Host)>> CollectFireTimesAsync(DateTimeOffset from, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(count + 30);
        while (true)
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            var rows = (await connection.QueryAsync<(string QueuedAt, long Runs)>(
                "SELECT queued_at, COUNT(*) FROM runs WHERE job_id = @JobId AND trigger = 'schedule' AND queued_at >= @From GROUP BY queued_at ORDER BY queued_at",
                new { JobId, From = SqlTime.Format(from) })).ToList();
            if (rows.Count >= count)
            {
                return rows.Take(count).Select(r => (SqlTime.Parse(r.QueuedAt)!.Value, (int)r.Runs, "")).ToList();
            }

            Assert.True(DateTime.UtcNow < deadline, $"only {rows.Count} of {count} fire times ran");
            await Task.Delay(250);
        }
    }
}
