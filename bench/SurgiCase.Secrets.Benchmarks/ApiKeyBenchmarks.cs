using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Hosting;

namespace SurgiCase.Secrets.Benchmarks;

/// <summary>
/// Finding the caller of an <c>X-Api-Key</c> among four configured keys: the former comparison of the raw bytes
/// (<c>FixedTimeEquals</c> per key, which returns at once when the lengths differ) against <see cref="ApiKeyRing"/>
/// (one SHA-256 of the presented key, then 32-byte comparisons). Shows the cost per request and whether the time
/// depends on the presented key's length.
/// </summary>
[ShortRunJob]
public class ApiKeyBenchmarks
{
    private static readonly KeyValuePair<string, string>[] Configured =
    [
        new("operator", "4f1c2a9e7b3d4c5e8f0a1b2c3d4e5f60718293a4"),
        new("operations-page", "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"),
        new("scheduler-service", "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c"),
        new("notification-service", "aa11bb22cc33dd44ee55ff6677889900aabbccdd"),
    ];

    private readonly ApiKeyRing _ring = new(Configured);
    private string _presented = "";

    [Params("right-key", "wrong-1-char", "wrong-same-length")]
    public string Presented { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _presented = Presented switch
    {
        "right-key" => Configured[3].Value,
        "wrong-1-char" => "x",
        _ => new string('x', Configured[3].Value.Length),
    };

    [Benchmark(Baseline = true)]
    public string? RawBytes()
    {
        var presented = Encoding.UTF8.GetBytes(_presented);
        string? caller = null;
        foreach (var (name, key) in Configured)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(key)))
            {
                caller = name;
            }
        }

        return caller;
    }

    [Benchmark]
    public string? Digests() => _ring.FindCaller(_presented);
}
