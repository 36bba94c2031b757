using System.Net.Http.Json;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Quartz fires a configured cron: an every-second job shows scheduled runs in the history.</summary>
public sealed class SchedulingTests : IAsyncLifetime
{
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task An_enabled_job_runs_on_its_cron_with_trigger_schedule()
    {
        using var app = new SchedulerApp(
            _simulator.BaseAddress,
            SchedulerApp.Job(7, "every-second", "/api/reports/referral", enabled: true, cron: "* * * * * ?",
                name: "Pool Stats", displayName: "Pool stats"),
            publisher: new RecordingPublisher());
        using var client = app.CreateOperatorClient();

        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<RunRecord>? runs = null;
        while (DateTime.UtcNow < deadline)
        {
            runs = await client.GetFromJsonAsync<List<RunRecord>>("/jobs/every-second/runs?limit=10");
            if (runs!.Count(r => r.Outcome == RunOutcomes.Succeeded) >= 2)
            {
                break;
            }

            await Task.Delay(50);
        }

        Assert.NotNull(runs);
        var succeeded = runs.Where(r => r.Outcome == RunOutcomes.Succeeded).ToList();
        Assert.True(succeeded.Count >= 2, $"expected two scheduled runs, saw {runs.Count}");
        Assert.All(succeeded, r => Assert.Equal(Triggers.Schedule, r.Trigger));
    }
}
