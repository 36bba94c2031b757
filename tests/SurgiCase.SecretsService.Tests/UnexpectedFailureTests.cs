using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// Failures that are neither an AWS answer nor a transport fault — credentials that cannot be resolved, an exception
/// nobody translates — must still serve the stale value, count for the circuit breaker, and never leave a probe
/// unrecorded (which would keep the breaker refusing every call until restart).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class UnexpectedFailureTests(MotoServer moto) : IAsyncLifetime
{
    private const string MainValue = """{"marker":"unexpected-failure-value-4b2d"}""";

    private readonly SecretsServiceApp _app = new(moto, settings: new Dictionary<string, string?>
    {
        ["Secrets:CircuitBreaker:FailureThreshold"] = "3",
        ["Secrets:CircuitBreaker:BreakDuration"] = "00:00:30",
        ["Secrets:CircuitBreaker:MaxBreakDuration"] = "00:02:00",
    });

    public static TheoryData<string, string> Failures => new()
    {
        { "credentials", "CredentialsUnavailable" },
        { "unexpected", "UnexpectedError" },
    };

    public async Task InitializeAsync() => await moto.CreateSecretAsync(_app.Name("main"), MainValue);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task The_secret_read_before_is_served_stale_and_the_failure_is_recorded(string failure, string expectedCode)
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = Fault(failure);

        var stale = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");
        var entry = await CacheEntryAsync();

        Assert.Equal("stale", stale.GetProperty("source").GetString());
        Assert.Equal(MainValue, stale.GetProperty("value").GetString());
        Assert.Equal("transient-error", entry.GetProperty("lastOutcome").GetString());
        Assert.Equal(expectedCode, entry.GetProperty("lastErrorCode").GetString());
        Assert.Equal(HealthStatus.Degraded, await _app.HealthAsync());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Every_caller_waiting_on_the_failed_fetch_gets_the_stale_value(string failure, string expectedCode)
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = Fault(failure);
        _app.Faults.ResetCalls();
        using var joined = new MetricCollector<long>(
            _app.Services.GetRequiredService<IMeterFactory>(), SecretsMetrics.MeterName, "surgicase.secrets.joined_fetches");
        _app.Faults.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var lookups = Enumerable.Range(0, 20).Select(_ => client.GetAsync($"/secrets/{_app.Name("main")}")).ToArray();
        // Hold the one fetch until the other 19 lookups have joined it (not merely entered the pipeline: one that
        // joined late would start a second fetch), then let it fail.
        await Until(() => joined.GetMeasurementSnapshot().Sum(m => m.Value) >= 19);
        _app.Faults.Gate.SetResult();
        var responses = await Task.WhenAll(lookups);

        Assert.Equal(1, _app.Faults.Calls);
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("stale", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString());
            response.Dispose();
        }

        Assert.Equal(expectedCode, (await CacheEntryAsync()).GetProperty("lastErrorCode").GetString());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task Such_failures_open_the_breaker_a_failed_probe_reopens_it_and_a_later_success_closes_it(string failure, string expectedCode)
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = Fault(failure);
        _app.Faults.ResetCalls();

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("stale", await SourceAsync(client));
        }

        Assert.Equal("Open", await BreakerAsync());
        Assert.Equal(3, _app.Faults.Calls);

        // The probe fails the same way: it must be recorded, or the breaker would stay half-open for good.
        _app.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("stale", await SourceAsync(client));
        Assert.Equal(4, _app.Faults.Calls);
        Assert.Equal("Open", await BreakerAsync());

        _app.Faults.Heal();
        _app.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("fresh", await SourceAsync(client));
        Assert.Equal("Closed", await BreakerAsync());
        Assert.Equal(HealthStatus.Healthy, await _app.HealthAsync());
        Assert.Contains(_app.Logs.GetSnapshot(), r => r.Message.Contains($"opened after {expectedCode}", StringComparison.Ordinal));
    }

    private static AwsFault Fault(string failure) => failure == "credentials" ? AwsFault.CredentialsUnavailable : AwsFault.Unexpected;

    private async Task<string?> SourceAsync(HttpClient client)
    {
        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString();
    }

    private async Task<string?> BreakerAsync()
    {
        using var client = _app.CreateClient(SecretsServiceApp.OperatorKey);
        return (await client.GetFromJsonAsync<JsonElement>("/cache")).GetProperty("circuitBreaker").GetString();
    }

    private async Task<JsonElement> CacheEntryAsync()
    {
        using var client = _app.CreateClient(SecretsServiceApp.OperatorKey);
        var cache = await client.GetFromJsonAsync<JsonElement>("/cache");
        return cache.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("name").GetString() == _app.Name("main"));
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(10);
        }
    }
}
