using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

/// <summary>The seed's stale-cache fallback, for every kind of transient fault, and what is not masked.</summary>
[Collection(MotoCollection.Name)]
public sealed class StaleFallbackTests(MotoServer moto) : IAsyncLifetime
{
    private const string MainValue = """{"job_failure_recipients":"ops@surgicase.local","marker":"stale-main-value-c0ffee"}""";
    private readonly SecretsServiceApp _app = new(moto);

    public static TheoryData<string, string> TransientFaults => new()
    {
        { "InternalServiceError", "InternalServiceError" },
        { "ServiceUnavailable", "ServiceUnavailable" },
        { "Throttling", "ThrottlingException" },
        { "Timeout", "RequestTimeout" },
        { "Refused", "ConnectionFailed" },
        { "SignatureExpired", "InvalidSignatureException" },
        { "TimeSkewed", "RequestTimeTooSkewed" },
    };

    public async Task InitializeAsync()
    {
        await moto.CreateSecretAsync(_app.Name("main"), MainValue);
        await moto.CreateSecretAsync(_app.Name("api"), """{"api_key":"never-read-value"}""");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task Secret_read_before_the_fault_is_served_stale_and_a_never_read_one_gets_503(string fault, string expectedCode)
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromSeconds(3720));
        _app.Faults.All = Fault(fault);

        var stale = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");
        using var neverRead = await client.GetAsync($"/secrets/{_app.Name("api")}");
        var problem = await neverRead.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("stale", stale.GetProperty("source").GetString());
        Assert.Equal(MainValue, stale.GetProperty("value").GetString());
        Assert.Equal(3720, stale.GetProperty("ageSeconds").GetInt64());
        Assert.Contains(
            _app.Logs.GetSnapshot(),
            r => r.Message == $"⚠️ AWS Secrets Manager error ({expectedCode}) for {_app.Name("main")} - using stale cache (age: 3720s)");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, neverRead.StatusCode);
        Assert.Equal(expectedCode, problem.GetProperty("awsErrorCode").GetString());
        Assert.Contains(expectedCode, problem.GetProperty("detail").GetString());
        Assert.Equal(HealthStatus.Degraded, await _app.HealthAsync());
    }

    [Fact]
    public async Task After_recovery_the_value_is_fresh_again_and_health_is_healthy()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = AwsFault.InternalServiceError;
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        Assert.Equal(HealthStatus.Degraded, await _app.HealthAsync());

        _app.Faults.Heal();
        await moto.PutSecretValueAsync(_app.Name("main"), """{"marker":"rotated"}""");
        var recovered = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");

        Assert.Equal("fresh", recovered.GetProperty("source").GetString());
        Assert.Equal("""{"marker":"rotated"}""", recovered.GetProperty("value").GetString());
        Assert.Equal(HealthStatus.Healthy, await _app.HealthAsync());
    }

    [Fact]
    public async Task Within_the_ttl_the_value_comes_from_memory()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromSeconds(3599));
        _app.Faults.All = AwsFault.InternalServiceError;

        var cached = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");

        Assert.Equal("cached", cached.GetProperty("source").GetString());
        Assert.Equal(1, _app.Faults.Calls);
    }

    [Fact]
    public async Task Deleted_secret_is_not_masked_by_the_cache()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        await moto.DeleteSecretAsync(_app.Name("main"));
        _app.Time.Advance(TimeSpan.FromHours(2));

        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ResourceNotFoundException", body);
        Assert.DoesNotContain("stale-main-value", body);
    }

    [Fact]
    public async Task Unknown_secret_is_404_naming_the_aws_code()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);

        using var response = await client.GetAsync($"/secrets/{_app.Name("no-such-secret")}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("ResourceNotFoundException", problem.GetProperty("awsErrorCode").GetString());
    }

    [Fact]
    public async Task Access_denied_by_aws_is_403_and_not_masked()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = AwsFault.Error("AccessDeniedException", HttpStatusCode.BadRequest);

        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("AccessDeniedException", problem.GetProperty("awsErrorCode").GetString());
    }

    [Fact]
    public async Task Stale_values_can_be_refused_per_request()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromSeconds(3720));
        _app.Faults.All = AwsFault.ServiceUnavailable;

        using var noStale = await client.GetAsync($"/secrets/{_app.Name("main")}?allowStale=false");
        using var tooOld = await client.GetAsync($"/secrets/{_app.Name("main")}?maxStalenessSeconds=3600");
        using var oldEnough = await client.GetAsync($"/secrets/{_app.Name("main")}?maxStalenessSeconds=4000");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, noStale.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, tooOld.StatusCode);
        Assert.Equal(HttpStatusCode.OK, oldEnough.StatusCode);
        Assert.DoesNotContain("stale-main-value", await noStale.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signature_expired_answer_is_logged_as_critical_naming_the_clock()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();
        _app.Time.Advance(TimeSpan.FromHours(2));
        _app.Faults.All = Fault("SignatureExpired");

        (await client.GetAsync($"/secrets/{_app.Name("main")}")).EnsureSuccessStatusCode();

        var line = Assert.Single(_app.Logs.GetSnapshot(), r => r.Level == Microsoft.Extensions.Logging.LogLevel.Critical);
        Assert.Contains("this host's clock is off", line.Message, StringComparison.Ordinal);
        Assert.Contains(_app.Name("main"), line.Message, StringComparison.Ordinal);
    }

    private static AwsFault ClockSkewFault(string code, string message) =>
        AwsFault.Respond(HttpStatusCode.BadRequest, JsonSerializer.Serialize(new { __type = code, message }), code);

    private static AwsFault Fault(string name) => name switch
    {
        "InternalServiceError" => AwsFault.InternalServiceError,
        "ServiceUnavailable" => AwsFault.ServiceUnavailable,
        "Throttling" => AwsFault.Throttling,
        "Timeout" => AwsFault.Timeout,
        "Refused" => AwsFault.Refused,
        "SignatureExpired" => ClockSkewFault("InvalidSignatureException",
            "Signature expired: 20251020T070000Z is now earlier than 20251020T070500Z (20251020T071000Z - 5 min.)"),
        "TimeSkewed" => ClockSkewFault("RequestTimeTooSkewed", "The difference between the request time and the current time is too large."),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };
}
