using System.Globalization;

namespace SurgiCase.Scheduler.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample, in milliseconds.</summary>
internal sealed record Summary(string Name, int Count, double P50, double P99, double Max)
{
    public static Summary Of(string name, IReadOnlyCollection<double> millis)
    {
        var sorted = millis.OrderBy(m => m).ToArray();
        return new Summary(name, sorted.Length, Rank(sorted, 0.50), Rank(sorted, 0.99), sorted[^1]);
    }

    private static double Rank(double[] sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];

    public string Row() => string.Create(CultureInfo.InvariantCulture, $"| {Name} | {Count} | {P50:F2} | {P99:F2} | {Max:F2} |");
}
