using System.Globalization;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>
/// Throughput of receive → render → send → delete against moto, as a ratio to the raw SDK loop on the
/// same moto in the same process (moto's absolute speed says nothing; its SQS slows as a queue grows, so
/// every measurement gets a fresh moto state and queue). The order alternates so neither side always
/// runs on a warmer moto.
/// </summary>
internal static class PipelineHarness
{
    public static async Task RunAsync(int messages, int repetitions)
    {
        await using var env = await BenchEnvironment.StartAsync();
        Console.WriteLine($"Pipeline throughput, {messages} messages per run, {repetitions} repetitions, moto on {env.Moto.Url}");

        // Warm-up: JIT, connection pools, moto's first-request costs.
        var warm = await env.PrepareAsync("warm", 20);
        await RawSdkLoop.RunAsync(env, warm.QueueUrl, 20, 10);
        warm = await env.PrepareAsync("warm2", 20);
        await ConsumerPipeline.RunAsync(env, warm.Queues, warm.QueueUrl, 20, 10);

        foreach (var concurrency in new[] { 1, 10 })
        {
            var ratios = new List<double>();
            Console.WriteLine();
            Console.WriteLine($"concurrency {concurrency}   raw msg/s   consumer msg/s   ratio");
            for (var r = 0; r < repetitions; r++)
            {
                double raw = 0, consumer = 0;
                foreach (var side in r % 2 == 0 ? new[] { "raw", "consumer" } : ["consumer", "raw"])
                {
                    var (queues, url) = await env.PrepareAsync(side, messages);
                    var elapsed = side == "raw"
                        ? await RawSdkLoop.RunAsync(env, url, messages, concurrency)
                        : await ConsumerPipeline.RunAsync(env, queues, url, messages, concurrency);
                    var rate = messages / elapsed.TotalSeconds;
                    if (side == "raw")
                    {
                        raw = rate;
                    }
                    else
                    {
                        consumer = rate;
                    }
                }

                ratios.Add(consumer / raw);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r + 1}        {raw,9:F1}   {consumer,14:F1}   {consumer / raw,5:F2}"));
            }

            ratios.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  median ratio (consumer / raw) at concurrency {concurrency}: {ratios[ratios.Count / 2]:F2}"));
        }
    }
}
