using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

[Collection(MotoCollection.Name)]
public sealed class SingleFlightAndBreakerTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> BreakerSettings = new()
    {
        ["Secrets:CircuitBreaker:FailureThreshold"] = "5",
        ["Secrets:CircuitBreaker:BreakDuration"] = "00:00:30",
        ["Secrets:CircuitBreaker:MaxBreakDuration"] = "00:02:00",
    };

    private readonly SecretsServiceApp _app = new(moto, settings: BreakerSettings);

    public async Task InitializeAsync() => await moto.CreateSecretAsync(_app.Name("main"), """{"marker":"single-flight-value"}""");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Thousand_concurrent_lookups_of_an_expired_secret_make_one_aws_call()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.ResetCalls();
        var entered = _app.EnteredRequests;
        _app.Faults.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var lookups = Enumerable.Range(0, 1000)
            .Select(_ => client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}"))
            .ToArray();
        // Hold the one AWS call until every request is inside the service, so all of them overlap it.
        await Until(() => _app.EnteredRequests - entered >= 1000, TimeSpan.FromSeconds(30));
        _app.Faults.Gate.SetResult();
        var answers = await Task.WhenAll(lookups);

        Assert.Equal(1, _app.Faults.Calls);
        Assert.All(answers, a => Assert.Equal("""{"marker":"single-flight-value"}""", a.GetProperty("value").GetString()));
        Assert.Contains(answers, a => a.GetProperty("source").GetString() == "fresh");
    }

    [Fact]
    public async Task Five_minute_outage_makes_a_bounded_number_of_aws_calls_and_lookups_do_not_wait_on_timeouts()
    {
        // A real, short AWS timeout: the calls that do go out during the outage wait for it, the others must not.
        await using var app = new SecretsServiceApp(moto, _app.Prefix, settings: new Dictionary<string, string?>(BreakerSettings)
        {
            ["Aws:RequestTimeout"] = "00:00:01",
            // No warming run in the background (at start, or when the clock jumps two hours): its hung call for the same
            // secret would be joined by a lookup that made none itself, and the attribution below would blame the cache.
            ["Secrets:WarmOnStartup"] = "false",
            ["Secrets:WarmingInterval"] = "1.00:00:00",
        });
        using var client = app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{app.Name("main")}")).EnsureSuccessStatusCode();
        app.Time.Advance(TimeSpan.FromHours(2));
        app.Faults.ResetCalls();
        app.Faults.All = AwsFault.Hang;

        var lookups = 0;
        var callingLookups = 0;
        var waitedWithoutCalling = new List<TimeSpan>();
        for (var second = 0; second < 300; second++)
        {
            for (var i = 0; i < 5; i++)
            {
                var callsBefore = app.Faults.Calls;
                var watch = Stopwatch.StartNew();
                var answer = await client.GetFromJsonAsync<JsonElement>($"/secrets/{app.Name("main")}");
                watch.Stop();
                lookups++;
                if (app.Faults.Calls > callsBefore)
                {
                    callingLookups++; // this lookup's own AWS call hung until the 1 s timeout, by design
                }
                else if (watch.Elapsed >= TimeSpan.FromSeconds(1))
                {
                    // A lookup that made no call but took a whole AWS timeout waited on someone else's hung call.
                    waitedWithoutCalling.Add(watch.Elapsed);
                }

                Assert.Equal("stale", answer.GetProperty("source").GetString());
            }

            app.Time.Advance(TimeSpan.FromSeconds(1));
        }

        // 5 failures open the breaker; then probes after 30 s, 60 s and 120 s cool-downs.
        var calls = app.Faults.Calls;
        Assert.InRange(calls, 5, 5 + (300 / 30));
        Assert.Equal(calls, callingLookups);
        Assert.True(waitedWithoutCalling.Count == 0,
            $"{waitedWithoutCalling.Count} lookups without an AWS call of their own took an AWS timeout: {string.Join(", ", waitedWithoutCalling)}");
        Assert.Equal(1500, lookups);
        Assert.Equal(HealthStatus.Degraded, await app.HealthAsync());

        app.Faults.Heal();
        app.Time.Advance(TimeSpan.FromMinutes(2));
        var recovered = await client.GetFromJsonAsync<JsonElement>($"/secrets/{app.Name("main")}");
        var cache = await app.CreateClient(SecretsServiceApp.OperatorKey).GetFromJsonAsync<JsonElement>("/cache");

        Assert.Equal("fresh", recovered.GetProperty("source").GetString());
        Assert.Equal("Closed", cache.GetProperty("circuitBreaker").GetString());
        Assert.Equal(HealthStatus.Healthy, await app.HealthAsync());
    }

    [Fact]
    public async Task While_the_breaker_is_open_a_never_read_secret_fails_at_once_with_503()
    {
        await moto.CreateSecretAsync(_app.Name("api"), """{"api_key":"x"}""");
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        _app.Faults.All = AwsFault.InternalServiceError;
        for (var i = 0; i < 5; i++)
        {
            (await client.GetAsync($"/secrets/{_app.Name("main")}")).Dispose();
        }

        _app.Faults.ResetCalls();
        using var response = await client.GetAsync($"/secrets/{_app.Name("api")}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(0, _app.Faults.Calls);
        Assert.True(problem.GetProperty("circuitBreakerOpen").GetBoolean());
        Assert.Equal("InternalServiceError", problem.GetProperty("awsErrorCode").GetString());
    }

    private static async Task Until(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Condition not met in time.");
            await Task.Delay(10);
        }
    }
}
