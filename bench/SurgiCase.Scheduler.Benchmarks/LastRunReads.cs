using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.SchedulerService.Storage;
using SurgiCase.Storage;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>
/// The job list's read of every job's newest run: one <c>LatestPerJobAsync</c> against the per-job loop it replaced
/// (<c>ListForJobAsync(job, 1)</c> for each job), on the same history in the same process, interleaved.
/// </summary>
internal static class LastRunReads
{
    public static async Task<(Summary PerJob, Summary OneQuery)> MeasureAsync(IServiceProvider services, string storage, int jobs, int runsPerJob,
        int rounds, int warmup)
    {
        var store = services.GetRequiredService<IRunStore>();
        var ids = Enumerable.Range(0, jobs).Select(i => $"list-job-{i}").ToList();
        await SeedAsync(services.GetRequiredService<SqlDatabase>(), ids, runsPerJob);

        // Both must read the same thing, or the comparison means nothing.
        var expected = await PerJobAsync(store, ids);
        var actual = await store.LatestPerJobAsync(ids, CancellationToken.None);
        if (ids.Any(id => expected[id]?.RunId != actual.GetValueOrDefault(id)?.RunId))
        {
            throw new InvalidOperationException("LatestPerJobAsync and the per-job reads disagree.");
        }

        var perJob = new List<double>(rounds);
        var oneQuery = new List<double>(rounds);
        for (var i = 0; i < warmup + rounds; i++)
        {
            // Alternate which goes first, so neither always meets the warmer cache.
            var perJobFirst = i % 2 == 0;
            var a = perJobFirst ? await TimeAsync(() => PerJobAsync(store, ids)) : await TimeAsync(() => store.LatestPerJobAsync(ids, CancellationToken.None));
            var b = perJobFirst ? await TimeAsync(() => store.LatestPerJobAsync(ids, CancellationToken.None)) : await TimeAsync(() => PerJobAsync(store, ids));
            if (i >= warmup)
            {
                perJob.Add(perJobFirst ? a : b);
                oneQuery.Add(perJobFirst ? b : a);
            }
        }

        var shape = $"{storage}, {jobs} jobs × {runsPerJob} runs";
        return (Summary.Of($"{shape}: one read per job (baseline)", perJob), Summary.Of($"{shape}: one query for all", oneQuery));
    }

    private static async Task<Dictionary<string, RunRecord?>> PerJobAsync(IRunStore store, IReadOnlyList<string> ids)
    {
        var latest = new Dictionary<string, RunRecord?>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            latest[id] = (await store.ListForJobAsync(id, 1, CancellationToken.None)).FirstOrDefault();
        }

        return latest;
    }

    private static async Task<double> TimeAsync<T>(Func<Task<T>> read)
    {
        var started = Stopwatch.GetTimestamp();
        await read();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    /// <summary>Finished runs a minute apart, in one transaction (one commit per row would take minutes on SQLite).</summary>
    private static async Task SeedAsync(SqlDatabase database, IReadOnlyList<string> ids, int runsPerJob)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-30);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var id in ids)
        {
            for (var n = 0; n < runsPerJob; n++)
            {
                var at = start.AddMinutes(n);
                var run = new RunRecord(Guid.NewGuid().ToString("N"), id, "schedule", null, at, at, at.AddSeconds(1),
                    n % 7 == 0 ? RunOutcomes.Failed : RunOutcomes.Succeeded, 1, null, null, null);
                await SqlRunStore.InsertAsync(connection, transaction, run, CancellationToken.None);
            }
        }

        await transaction.CommitAsync();
    }
}
