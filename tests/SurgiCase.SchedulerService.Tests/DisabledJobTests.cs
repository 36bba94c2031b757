using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Scheduling;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>A disabled job does not run: not when a (stale) trigger fires it, not by hand.</summary>
public sealed class DisabledJobTests : IAsyncLifetime
{
    private const string JobId = "disabled-probe";
    private readonly SimulatorHost _simulator = new();

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public Task DisposeAsync() => _simulator.DisposeAsync();

    [Fact]
    public async Task A_trigger_firing_a_disabled_job_starts_no_run()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, SchedulerApp.Job(7, JobId, "/api/reports/referral", enabled: false));
        using var client = app.CreateOperatorClient();

        // As a replica on an older configuration would: fire the job through Quartz although this one has it disabled.
        var scheduler = await app.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var executed = new ExecutedListener();
        scheduler.ListenerManager.AddJobListener(executed, [Matchers.Key(new JobKey(JobId))]);
        await scheduler.ScheduleJob(
            JobBuilder.Create<ScheduledHttpJob>().WithIdentity(JobId).Build(),
            TriggerBuilder.Create().WithIdentity(JobId).StartNow().Build());

        var error = await executed.Done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Null(error);
        Assert.Empty(await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs") ?? []);
    }

    [Fact]
    public async Task A_manual_run_of_a_disabled_job_is_refused_with_409_problem_details()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress, SchedulerApp.Job(7, JobId, "/api/reports/referral", enabled: false));
        using var client = app.CreateOperatorClient();

        using var response = await client.PostAsync($"/jobs/{JobId}/run", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await client.GetFromJsonAsync<List<RunRecord>>($"/jobs/{JobId}/runs") ?? []);
    }

    private sealed class ExecutedListener : IJobListener
    {
        public TaskCompletionSource<JobExecutionException?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name => "disabled-probe-listener";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            Done.TrySetResult(jobException);
            return ValueTask.CompletedTask;
        }
    }
}
