using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// Issue 12.6: names that do not exist leave no slot behind and reach AWS (moto's real ResourceNotFoundException) once
/// per name and <c>Secrets:NotFoundCacheDuration</c>; the remembered "not found" answers are bounded in count.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class NotFoundCacheTests(MotoServer moto) : IAsyncLifetime
{
    private readonly SecretsServiceApp _app = new(moto, settings: new Dictionary<string, string?>
    {
        ["Secrets:NotFoundCacheDuration"] = "00:01:00",
        ["Secrets:NotFoundCacheSize"] = "500",
    });

    public Task InitializeAsync() => moto.CreateSecretAsync(_app.Name("main"), """{"marker":"known"}""");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_unknown_names_leave_no_slots_and_a_bounded_not_found_list()
    {
        var cache = _app.Services.GetRequiredService<SecretCache>();
        Assert.NotNull((await cache.GetAsync(_app.Name("main"), true, null, CancellationToken.None)).Secret);
        var slotsBefore = cache.Slots.Select(s => s.Name).ToList();

        var answers = new System.Collections.Concurrent.ConcurrentBag<string?>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            answers.Add((await cache.GetAsync(_app.Name($"unknown-{i}"), true, null, ct)).Error?.ErrorCode));

        Assert.Equal(10_000, answers.Count(code => code == "ResourceNotFoundException"));
        Assert.Equal(slotsBefore, cache.Slots.Select(s => s.Name).ToList());
        Assert.Equal(500, cache.NotFoundCount);
    }

    [Fact]
    public async Task An_unknown_name_reaches_aws_once_per_window_and_a_secret_created_meanwhile_is_found_after_it()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        var name = _app.Name("created-later");
        _app.Faults.ResetCalls();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/secrets/{name}")).StatusCode);
        using var again = await client.GetAsync($"/secrets/{name}");
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("ResourceNotFoundException", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, _app.Faults.Calls);

        await moto.CreateSecretAsync(name, """{"marker":"created"}""");
        _app.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/secrets/{name}")).StatusCode);
        Assert.Equal(1, _app.Faults.Calls);

        _app.Time.Advance(TimeSpan.FromSeconds(2));
        using var found = await client.GetAsync($"/secrets/{name}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        Assert.Contains("created", await found.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, _app.Faults.Calls);
        Assert.Contains(_app.Services.GetRequiredService<SecretCache>().Slots, s => s.Name == name);
    }

    [Fact]
    public async Task After_the_window_an_unknown_name_is_asked_again()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        var name = _app.Name("never-created");
        _app.Faults.ResetCalls();

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/secrets/{name}")).StatusCode);
        _app.Time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/secrets/{name}")).StatusCode);

        Assert.Equal(2, _app.Faults.Calls);
        Assert.DoesNotContain(_app.Services.GetRequiredService<SecretCache>().Slots, s => s.Name == name);
    }
}
