using System.Collections.Concurrent;
using System.Diagnostics;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>One "secrets lookup" span per lookup, tagged with the name and how it was answered, never the value.</summary>
[Collection(MotoCollection.Name)]
public sealed class LookupSpanTests(MotoServer moto) : IAsyncLifetime
{
    private const string Value = """{"span":"lookup-span-value-5e1d"}""";
    private readonly SecretsServiceApp _app = new(moto);
    private readonly ConcurrentQueue<Activity> _spans = new();
    private ActivityListener? _listener;

    public async Task InitializeAsync()
    {
        await moto.CreateSecretAsync(_app.Name("main"), Value);
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SecretsTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.GetTagItem(SecretsTelemetry.NameTag) is string name && name.StartsWith(_app.Prefix + "/", StringComparison.Ordinal))
                {
                    _spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Fresh_cached_stale_and_failed_lookups_each_get_a_span_under_the_request()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = AwsFault.ServiceUnavailable;
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        (await client.GetAsync($"/secrets/{_app.Name("never-read")}")).Dispose();

        var spans = _spans.ToArray();
        Assert.All(spans, s => Assert.Equal(SecretsTelemetry.LookupSpanName, s.DisplayName));
        Assert.Equal(
            [(_app.Name("main"), "fresh", null), (_app.Name("main"), "cached", null), (_app.Name("main"), "stale", null), (_app.Name("never-read"), null, "ServiceUnavailable")],
            spans.Select(s => ((string?)s.GetTagItem(SecretsTelemetry.NameTag), (string?)s.GetTagItem(SecretsTelemetry.SourceTag), (string?)s.GetTagItem(SecretsTelemetry.ErrorTypeTag))));
        Assert.Equal(ActivityStatusCode.Error, spans[3].Status);
        // Each lookup is a child of its request's server span, not of the previous lookup.
        Assert.All(spans, s => Assert.Equal("Microsoft.AspNetCore", s.Parent?.Source.Name));
        Assert.All(spans.SelectMany(s => s.TagObjects), t => Assert.DoesNotContain("lookup-span-value", t.Value?.ToString() ?? ""));
    }
}
