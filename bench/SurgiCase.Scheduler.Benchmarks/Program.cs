using System.Globalization;
using SurgiCase.Scheduler.Benchmarks;

// dotnet run -c Release --project bench/SurgiCase.Scheduler.Benchmarks -- [runs=200] [fireTimes=200] [listRounds=200]
// fireTimes runs at one per second: 200 takes about 3.5 minutes. 0 skips a measurement. The job-list reads are also
// measured on PostgreSQL when SURGICASE_TEST_POSTGRES names a server (source .ci/postgres.sh && start_postgres).
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var fireTimes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;
var listRounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 200;

await using var api = await LoopbackApi.StartAsync();
Console.WriteLine($"Scheduler benchmark, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine("| measurement | n | p50 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");

if (runs > 0)
{
    await using var app = await SchedulerHost.StartAsync(api.BaseAddress, NewDataDirectory(), scheduled: false);
    var (baseline, run) = await PerRunCost.MeasureAsync(app.Services, api.BaseAddress, runs, warmup: 20);
    Console.WriteLine(baseline.Row());
    Console.WriteLine(run.Row());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"per-run overhead: p50 +{run.P50 - baseline.P50:F2} ms ({run.P50 / baseline.P50:F1}x), p99 +{run.P99 - baseline.P99:F2} ms ({run.P99 / baseline.P99:F1}x)"));
}

if (listRounds > 0)
{
    var postgresAdmin = Environment.GetEnvironmentVariable("SURGICASE_TEST_POSTGRES");
    foreach (var (jobs, runsPerJob) in new[] { (7, 1000), (50, 200) })
    {
        foreach (var storage in postgresAdmin is null ? ["SQLite"] : new[] { "SQLite", "PostgreSQL" })
        {
            var postgres = storage == "PostgreSQL" ? await ThrowawayDatabase.CreateAsync(postgresAdmin!) : null;
            await using var app = await SchedulerHost.StartAsync(api.BaseAddress, NewDataDirectory(), scheduled: false, postgres?.ConnectionString);
            var (perJob, oneQuery) = await LastRunReads.MeasureAsync(app.Services, storage, jobs, runsPerJob, listRounds, warmup: 20);
            Console.WriteLine(perJob.Row());
            Console.WriteLine(oneQuery.Row());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{storage}, {jobs} jobs: one query takes {oneQuery.P50 / perJob.P50:F2}x the per-job reads at p50, {oneQuery.P99 / perJob.P99:F2}x at p99"));
            await app.StopAsync();
            if (postgres is not null)
            {
                await postgres.DropAsync();
            }
        }
    }
}

if (fireTimes > 0)
{
    var scheduleData = NewDataDirectory();
    await using var app = await SchedulerHost.StartAsync(api.BaseAddress, scheduleData, scheduled: true);
    var (bare, ours) = await SchedulingOverhead.MeasureAsync(app.Services, fireTimes);
    Console.WriteLine(bare.Row());
    Console.WriteLine(ours.Row());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"scheduling overhead over bare Quartz: p50 +{ours.P50 - bare.P50:F2} ms, p99 +{ours.P99 - bare.P99:F2} ms"));
}

static string NewDataDirectory()
{
    var path = Path.Combine(Path.GetTempPath(), "surgicase-scheduler-bench", Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(path);
    return path;
}
