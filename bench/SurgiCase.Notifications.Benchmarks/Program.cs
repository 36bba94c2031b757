using BenchmarkDotNet.Running;
using SurgiCase.Notifications.Benchmarks;

// dotnet run -c Release --project bench/SurgiCase.Notifications.Benchmarks -- [pipeline|render] [messages] [repetitions]
var mode = args.Length > 0 ? args[0] : "all";
if (mode is "pipeline" or "all")
{
    var messages = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200;
    var repetitions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 3;
    await PipelineHarness.RunAsync(messages, repetitions);
}

if (mode is "render" or "all")
{
    BenchmarkRunner.Run<RenderBenchmarks>();
}
