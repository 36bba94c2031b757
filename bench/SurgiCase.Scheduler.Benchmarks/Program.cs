using System.Globalization;
using SurgiCase.Scheduler.Benchmarks;

// dotnet run -c Release --project bench/SurgiCase.Scheduler.Benchmarks -- [runs=200] [fireTimes=200]
// fireTimes runs at one per second: 200 takes about 3.5 minutes. 0 skips the scheduling measurement.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
var fireTimes = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200;

await using var api = await LoopbackApi.StartAsync();
Console.WriteLine($"Scheduler benchmark, .NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine("| measurement | n | p50 ms | p99 ms | max ms |");
Console.WriteLine("|---|---:|---:|---:|---:|");

var runData = NewDataDirectory();
await using (var app = await SchedulerHost.StartAsync(api.BaseAddress, runData, scheduled: false))
{
    var (baseline, run) = await PerRunCost.MeasureAsync(app.Services, api.BaseAddress, runs, warmup: 20);
    Console.WriteLine(baseline.Row());
    Console.WriteLine(run.Row());
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"per-run overhead: p50 +{run.P50 - baseline.P50:F2} ms ({run.P50 / baseline.P50:F1}x), p99 +{run.P99 - baseline.P99:F2} ms ({run.P99 / baseline.P99:F1}x)"));
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
