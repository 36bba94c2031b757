using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.SchedulerService.Execution;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>
/// One run as the run worker executes it (history row created, JobRunner: span, attempt, classification, completion
/// with outbox and pruning, metrics) against an endpoint that answers at once, interleaved with the same HTTP call
/// made by a bare HttpClient: the difference is what the scheduler adds to a call.
/// </summary>
internal static class PerRunCost
{
    public static async Task<(Summary Baseline, Summary Run)> MeasureAsync(IServiceProvider services, Uri apiBase, int runs, int warmup)
    {
        var runner = services.GetRequiredService<JobRunner>();
        var store = services.GetRequiredService<IRunStore>();
        var job = services.GetRequiredService<JobCatalog>().Find(SchedulerHost.ManualJob)!.Definition;
        using var raw = new HttpClient(new SocketsHttpHandler()) { BaseAddress = apiBase };

        var baseline = new List<double>(runs);
        var ours = new List<double>(runs);
        for (var i = 0; i < warmup + runs; i++)
        {
            // Alternate which side goes first, so neither always meets a warm connection or a cold cache.
            var rawFirst = i % 2 == 0;
            var a = rawFirst ? await RawCallAsync(raw) : await RunAsync(runner, store, job);
            var b = rawFirst ? await RunAsync(runner, store, job) : await RawCallAsync(raw);
            if (i >= warmup)
            {
                baseline.Add(rawFirst ? a : b);
                ours.Add(rawFirst ? b : a);
            }
        }

        return (Summary.Of("bare HttpClient POST (baseline)", baseline), Summary.Of("scheduler run (row + JobRunner)", ours));
    }

    private static async Task<double> RawCallAsync(HttpClient client)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await client.PostAsync("/api/reports/provider-payment", null);
        await response.Content.ReadAsStringAsync();
        response.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static async Task<double> RunAsync(JobRunner runner, IRunStore store, JobDefinition job)
    {
        var started = Stopwatch.GetTimestamp();
        var runId = Guid.NewGuid().ToString("N");
        await store.CreateAsync(new RunRecord(runId, job.Id, "manual", "bench", DateTimeOffset.UtcNow, null, null,
            RunOutcomes.Queued, 0, null, null, null), CancellationToken.None);
        var completion = await runner.RunAsync(job, new RunRequest(runId, job.Id, "manual", "bench"), CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (completion.Outcome != RunOutcomes.Succeeded)
        {
            throw new InvalidOperationException($"A benchmark run did not succeed: {completion.ErrorMessage}");
        }

        return elapsed;
    }
}
