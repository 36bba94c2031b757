using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

[Collection(MotoCollection.Name)]
public sealed class MetricsTests(MotoServer moto) : IAsyncLifetime
{
    private readonly SecretsServiceApp _app = new(moto);

    public async Task InitializeAsync() => await moto.CreateSecretAsync(_app.Name("main"), """{"m":"metrics-value"}""");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Lookups_are_counted_by_source_and_aws_calls_by_outcome()
    {
        var meterFactory = _app.Services.GetRequiredService<IMeterFactory>();
        using var lookups = new MetricCollector<long>(meterFactory, SecretsMetrics.MeterName, "surgicase.secrets.lookups");
        using var awsCalls = new MetricCollector<long>(meterFactory, SecretsMetrics.MeterName, "surgicase.secrets.aws_calls");
        using var staleAge = new MetricCollector<double>(meterFactory, SecretsMetrics.MeterName, "surgicase.secrets.oldest_stale_age");
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);

        (await client.GetAsync($"/secrets/{_app.Name("main")}")).Dispose();
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).Dispose();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = AwsFault.ServiceUnavailable;
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).Dispose();
        (await client.GetAsync($"/secrets/{_app.Name("never-read")}")).Dispose();
        staleAge.RecordObservableInstruments();

        Assert.Equal(["fresh", "cached", "stale", "error"], lookups.GetMeasurementSnapshot().Select(m => (string)m.Tags["source"]!));
        Assert.Equal(["success", "transient-error", "transient-error"], awsCalls.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
        Assert.Equal(7200, staleAge.LastMeasurement!.Value);
    }
}

[Collection(MotoCollection.Name)]
public sealed class CacheHitAllocationTests(MotoServer moto)
{
    [Fact]
    public async Task A_cache_hit_allocates_nothing()
    {
        await using var app = new SecretsServiceApp(moto);
        await moto.CreateSecretAsync(app.Name("main"), """{"a":"alloc-value"}""");
        var cache = app.Services.GetRequiredService<SecretCache>();
        var name = app.Name("main");
        await cache.GetAsync(name, allowStale: true, maxStaleness: null, CancellationToken.None);
        HitManyTimes(cache, name, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var last = HitManyTimes(cache, name, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(SecretSource.Cached, last.Source);
        Assert.Equal(0, allocated);
    }

    // A hit completes synchronously; reading the ValueTask's result without awaiting keeps the loop itself allocation-free.
    private static SecretLookupResult HitManyTimes(SecretCache cache, string name, int times)
    {
        SecretLookupResult last = default;
        for (var i = 0; i < times; i++)
        {
            var pending = cache.GetAsync(name, true, null, CancellationToken.None);
            Assert.True(pending.IsCompletedSuccessfully);
            last = pending.Result;
        }

        return last;
    }
}
