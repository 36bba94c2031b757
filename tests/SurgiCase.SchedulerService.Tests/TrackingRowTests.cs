using Dapper;
using Microsoft.Data.Sqlite;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Tracking rows are created once at start-up; probes, the page and the watchdog only read them.</summary>
public sealed class TrackingRowTests : IAsyncLifetime
{
    private const string JobId = "tracked-probe";
    private const string InstanceJobId = "tracked-instance-probe";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task Start_up_tracks_every_enabled_job_and_health_probes_do_not_write()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress,
            SchedulerApp.Job(7, JobId, "/api/reports/referral")
                .Concat(SchedulerApp.Job(8, InstanceJobId, "/api/reports/referral", scope: "instance")));
        using var client = app.CreateOperatorClient();
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(app.DataDirectory, "scheduler.db")}");

        var tracked = (await connection.QueryAsync<string>("SELECT job_id FROM job_state")).ToHashSet();
        Assert.Contains(JobId, tracked);
        // Instance jobs too: the watchdog watches every critical job, not only those catch-up covers.
        Assert.Contains(InstanceJobId, tracked);

        // A row gone (or never made) is read as "watched from now", and reading does not put it back.
        await connection.ExecuteAsync("DELETE FROM job_state WHERE job_id = @JobId", new { JobId });
        using (var health = await client.GetAsync("/health"))
        {
            Assert.True(health.IsSuccessStatusCode, $"/health answered {health.StatusCode}");
        }

        Assert.Equal(0L, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM job_state WHERE job_id = @JobId", new { JobId }));
    }
}
