using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.SchedulerService.Telemetry;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>
/// From a trigger's scheduled fire time to the moment JobRunner starts the run (its span's start), for a cluster-scope
/// job firing every second. Baseline in the same scheduler: a bare Quartz job on a 1 s simple trigger offset by
/// half a second (so the two never compete), timed from its scheduled fire time to its first line.
/// </summary>
internal static class SchedulingOverhead
{
    public static async Task<(Summary Baseline, Summary Ours)> MeasureAsync(IServiceProvider services, int fireTimes)
    {
        var runStarts = new ConcurrentQueue<(string RunId, DateTime StartUtc)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SchedulerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.DisplayName == $"job {SchedulerHost.ScheduledJob}" && activity.GetTagItem("job.run_id") is string runId)
                {
                    runStarts.Enqueue((runId, activity.StartTimeUtc));
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var scheduler = await services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var firstSecond = DateTimeOffset.UtcNow.AddSeconds(2);
        var start = new DateTimeOffset(firstSecond.Ticks - firstSecond.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero).AddMilliseconds(500);
        await scheduler.ScheduleJob(
            JobBuilder.Create<BareJob>().WithIdentity("bench-bare").Build(),
            TriggerBuilder.Create().StartAt(start)
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(1)).WithRepeatCount(fireTimes + 4)).Build());

        var store = services.GetRequiredService<IRunStore>();
        var deadline = DateTime.UtcNow.AddSeconds(fireTimes + 60);
        while ((runStarts.Count < fireTimes + 2 || BareJob.Delays.Count < fireTimes + 2) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        await scheduler.Standby();
        var ours = new List<double>();
        // The first two fire times are warm-up (JIT, first connections).
        foreach (var (runId, startUtc) in runStarts.Skip(2).Take(fireTimes))
        {
            var run = await store.GetAsync(runId, CancellationToken.None)
                      ?? throw new InvalidOperationException($"run {runId} is not in the history");
            ours.Add((new DateTimeOffset(startUtc, TimeSpan.Zero) - run.QueuedAt).TotalMilliseconds);
        }

        return (Summary.Of("bare Quartz job (baseline)", BareJob.Delays.Skip(2).Take(fireTimes).ToList()),
            Summary.Of("ScheduledHttpJob → JobRunner start", ours));
    }

    internal sealed class BareJob : IJob
    {
        public static readonly ConcurrentQueue<double> Delays = new();

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            var now = DateTimeOffset.UtcNow;
            Delays.Enqueue((now - context.ScheduledFireTimeUtc!.Value).TotalMilliseconds);
            return ValueTask.CompletedTask;
        }
    }
}
