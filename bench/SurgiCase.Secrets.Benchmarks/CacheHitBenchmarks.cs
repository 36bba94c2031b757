using System.Collections.Concurrent;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.SecretsService;

namespace SurgiCase.Secrets.Benchmarks;

/// <summary>
/// SecretCache's hit path (name → slot, TTL check, age, lookup counter) against the least any cache must do: one
/// ConcurrentDictionary read of the same key. Goal: at most 2× the baseline and no allocation.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class CacheHitBenchmarks
{
    private const string Name = "surgicase/main";
    private readonly ConcurrentDictionary<string, CachedSecret> _dictionary = new(StringComparer.Ordinal);
    private ServiceProvider _services = null!;
    private SecretCache _cache = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(typeof(Microsoft.Extensions.Logging.ILogger<>), typeof(NullLogger<>));
        services.AddSingleton<IOptions<SecretsOptions>>(Options.Create(new SecretsOptions()));
        services.AddSingleton<ISecretsManagerClient, StubSecretsManager>();
        services.AddSingleton<SecretsMetrics>();
        services.AddSingleton<AwsCircuitBreaker>();
        services.AddSingleton<SecretCache>();
        _services = services.BuildServiceProvider();
        _cache = _services.GetRequiredService<SecretCache>();
        var warmed = _cache.GetAsync(Name, true, null, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _dictionary[Name] = warmed.Secret!;
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public object? DictionaryTryGetValue() => _dictionary.TryGetValue(Name, out var secret) ? secret : null;

    [Benchmark]
    public object? SecretCacheHit()
    {
        var pending = _cache.GetAsync(Name, true, null, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result.Secret : null;
    }
}
