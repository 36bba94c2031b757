using System.Globalization;
using BenchmarkDotNet.Running;
using SurgiCase.Secrets.Benchmarks;

// dotnet run -c Release --project bench/SurgiCase.Secrets.Benchmarks -- [cache|http|keys|all] [requests] [concurrency] [rounds]
var mode = args.Length > 0 ? args[0] : "all";
if (mode is "http" or "all")
{
    var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 20_000;
    var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
    var rounds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 5;
    await HttpLookupHarness.RunAsync(requests, concurrency, rounds);
}

if (mode is "cache" or "all")
{
    BenchmarkRunner.Run<CacheHitBenchmarks>();
}

if (mode is "keys" or "all")
{
    BenchmarkRunner.Run<ApiKeyBenchmarks>();
}
