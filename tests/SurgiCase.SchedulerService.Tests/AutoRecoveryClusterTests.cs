using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Outbox;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Two scheduler replicas on one PostgreSQL (cluster mode): both probe, exactly one re-runs the failed job.</summary>
public sealed class AutoRecoveryClusterTests() : StorageVariantTests(new PostgresTestDatabase())
{
    private readonly SimulatorHost _simulator = new();
    private readonly FakeTimeProvider _time = new(AutoRecoveryBed.MondayMorning);

    protected override Task InitializeTestAsync() => _simulator.InitializeAsync();

    protected override Task DisposeTestAsync() => _simulator.DisposeAsync();

    private AutoRecoveryBed Replica(string instanceId) => new(_simulator, _time,
        Storage.Append(new KeyValuePair<string, string?>("Scheduler:InstanceId", instanceId)));

    [Fact]
    public async Task Two_replicas_probing_together_make_one_recovery_run()
    {
        using var a = Replica("replica-a");
        using var b = Replica("replica-b");
        await _simulator.SetFaultAsync(new { mode = "error", status = 503 });
        var failed = await a.RunToEndAsync();
        Assert.Equal(RunOutcomes.Failed, failed.Outcome);
        await _simulator.ClearFaultAsync();

        // Both see the pending recovery and find the API up; the claim in the database lets one of them run it.
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(a.CheckAsync(), b.CheckAsync());
        }

        var recovery = Assert.Single(await a.RunsAsync(Triggers.Recovery));
        Assert.Equal(RunOutcomes.Succeeded, (await SchedulerApp.WaitFinishedAsync(a.Client, recovery.RunId)).Outcome);
        Assert.Single(await b.RunsAsync(Triggers.Recovery));
        // Its events go out through the outbox just after the run's row. One is an answer only once the shared outbox
        // has nothing left to publish: a late duplicate from the other replica would be pending until then.
        var outbox = a.App.Services.GetRequiredService<IOutboxStore>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Recovered(a, b).Count == 0 || await outbox.CountPendingAsync(CancellationToken.None) > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "no JobRecovered published, or the outbox did not drain");
            await Task.Delay(20);
        }

        Assert.Equal(Triggers.Recovery, Assert.Single(Recovered(a, b)).Trigger);
    }

    private static List<JobRecovered> Recovered(AutoRecoveryBed a, AutoRecoveryBed b) =>
        a.Publisher.Published.Concat(b.Publisher.Published).Select(p => p.Event).OfType<JobRecovered>().ToList();
}
