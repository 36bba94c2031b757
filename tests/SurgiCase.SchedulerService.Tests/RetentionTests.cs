using System.Net.Http.Json;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary><c>Scheduler:RunRetention</c> bounds the history per job: the newest runs are kept, older ones pruned.</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private const string Payment = "weekly-provider-payment-report";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task Five_runs_with_a_retention_of_three_keep_the_newest_three()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress,
            new Dictionary<string, string?> { ["Scheduler:RunRetention"] = "3" }, publisher: new RecordingPublisher());
        using var client = app.CreateOperatorClient();

        var runIds = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var runId = await app.RunAsync(client, Payment);
            Assert.Equal(RunOutcomes.Succeeded, (await SchedulerApp.WaitFinishedAsync(client, runId)).Outcome);
            runIds.Add(runId);
        }

        var kept = await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{Payment}/runs?limit=10");
        Assert.NotNull(kept);
        Assert.Equal(runIds.AsEnumerable().Reverse().Take(3), kept.Select(r => r.RunId));
        using var pruned = await client.GetAsync($"/runs/{runIds[0]}");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, pruned.StatusCode);
    }
}
