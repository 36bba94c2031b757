using BenchmarkDotNet.Attributes;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>Time and allocations to render one alert email (subject, HTML part and text part).</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RenderBenchmarks
{
    private readonly IJobEvent _failed = BenchEvents.Failed();
    private readonly IJobEvent _partial = BenchEvents.Partial();
    private readonly IJobEvent _recovered = BenchEvents.Recovered();

    [Benchmark(Baseline = true)]
    public int Failed() => Render(_failed);

    [Benchmark]
    public int PartiallyFailed() => Render(_partial);

    [Benchmark]
    public int Recovered() => Render(_recovered);

    private static int Render(IJobEvent jobEvent)
    {
        var email = EmailRenderer.Render(jobEvent, BenchEvents.Context);
        return email.Html.Length + email.Text.Length;
    }
}
