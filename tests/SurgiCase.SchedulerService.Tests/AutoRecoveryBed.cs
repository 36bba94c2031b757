using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.SchedulerService.Recovery;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// A scheduler on the fake clock against the real simulator, with one critical probe job, for the automatic recovery
/// tests. The recovery pass is run by the test (<see cref="CheckAsync"/>); the background loop waits an hour of fake time
/// (<see cref="SchedulerApp"/>'s probe interval, here without jitter).
/// </summary>
internal sealed class AutoRecoveryBed : IDisposable
{
    public const string JobId = "recovering-report";
    public const string ReportPath = "/api/reports/provider-payment";
    public static readonly DateTimeOffset MondayMorning = new(2025, 10, 20, 9, 0, 0, TimeSpan.Zero);

    public AutoRecoveryBed(SimulatorHost simulator, FakeTimeProvider time, IEnumerable<KeyValuePair<string, string?>>? settings = null,
        string? dataDirectory = null, string cron = SchedulerApp.NeverCron)
    {
        App = new SchedulerApp(
            simulator.BaseAddress,
            SchedulerApp.Job(7, JobId, ReportPath, cron: cron)
                .Append(new KeyValuePair<string, string?>("Scheduler:Recovery:ProbeJitterRatio", "0"))
                .Concat(settings ?? []),
            services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(time);
            },
            Publisher,
            dataDirectory);
        Client = App.CreateOperatorClient();
    }

    public SchedulerApp App { get; }

    public HttpClient Client { get; }

    public RecordingPublisher Publisher { get; } = new();

    public IRecoveryStore Recoveries => App.Services.GetRequiredService<IRecoveryStore>();

    /// <summary>One pass of the recovery service, as its loop makes every probe interval.</summary>
    public Task CheckAsync() => App.Services.GetRequiredService<AutoRecoveryService>().CheckAsync(CancellationToken.None);

    /// <summary>Runs the job by hand and waits for its result.</summary>
    public async Task<RunRecord> RunToEndAsync()
    {
        var runId = await App.RunAsync(Client, JobId);
        return await SchedulerApp.WaitFinishedAsync(Client, runId);
    }

    public async Task<IReadOnlyList<RunRecord>> RunsAsync(string? trigger = null) =>
        (await Client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs"))!
            .Where(r => trigger is null || r.Trigger == trigger).ToList();

    /// <summary>The single recovery run, finished.</summary>
    public async Task<RunRecord> RecoveryRunAsync()
    {
        var recovery = Assert.Single(await RunsAsync(Triggers.Recovery));
        return await SchedulerApp.WaitFinishedAsync(Client, recovery.RunId);
    }

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
    }
}
