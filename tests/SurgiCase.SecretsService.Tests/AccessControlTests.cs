using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SurgiCase.Testing;

namespace SurgiCase.SecretsService.Tests;

[Collection(MotoCollection.Name)]
public sealed class AccessControlTests(MotoServer moto) : IAsyncLifetime
{
    private const string MainValue = """{"admin_email":"admin@surgicase.local","token":"acl-main-value-7f3a"}""";
    private const string ApiValue = """{"api_key":"acl-api-value-91bd"}""";
    private readonly SecretsServiceApp _app = new(moto);

    public async Task InitializeAsync()
    {
        await moto.CreateSecretAsync(_app.Name("main"), MainValue);
        await moto.CreateSecretAsync(_app.Name("api"), ApiValue);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task No_key_is_401_problem_details()
    {
        using var client = _app.CreateClient(apiKey: null);
        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Wrong_key_is_401()
    {
        using var client = _app.CreateClient("not-a-key");
        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Allowed_caller_gets_the_value_fresh_then_cached()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);

        var first = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");
        _app.Time.Advance(TimeSpan.FromMinutes(10));
        var second = await client.GetFromJsonAsync<JsonElement>($"/secrets/{_app.Name("main")}");

        Assert.Equal(_app.Name("main"), first.GetProperty("name").GetString());
        Assert.Equal(MainValue, first.GetProperty("value").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("versionId").GetString()));
        Assert.Equal("fresh", first.GetProperty("source").GetString());
        Assert.Equal("cached", second.GetProperty("source").GetString());
        Assert.Equal(600, second.GetProperty("ageSeconds").GetInt64());
        Assert.Equal(1, _app.Faults.Calls);
    }

    [Fact]
    public async Task Name_outside_the_allow_list_is_403_without_calling_AWS()
    {
        using var client = _app.CreateClient(SecretsServiceApp.NotificationKey);

        using var allowed = await client.GetAsync($"/secrets/{_app.Name("main")}");
        using var denied = await client.GetAsync($"/secrets/{_app.Name("api")}");
        var body = await denied.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
        Assert.Contains(_app.Name("api"), body);
        Assert.DoesNotContain("acl-api-value", body);
        Assert.Equal(1, _app.Faults.Calls);
    }

    [Fact]
    public async Task Prefix_pattern_allows_only_names_under_the_prefix()
    {
        using var client = _app.CreateClient(SecretsServiceApp.SchedulerKey);

        using var inside = await client.GetAsync($"/secrets/{_app.Name("api")}");
        using var outside = await client.GetAsync($"/secrets/other{_app.Prefix}/api");

        Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
    }

    [Fact]
    public async Task Cache_listing_needs_a_key_and_never_shows_values()
    {
        using var reader = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        (await reader.GetAsync($"/secrets/{_app.Name("main")}")).Dispose();
        using var anonymous = _app.CreateClient(apiKey: null);
        using var operatorClient = _app.CreateClient(SecretsServiceApp.OperatorKey);

        using var unauthorized = await anonymous.GetAsync("/cache");
        var listing = await operatorClient.GetStringAsync("/cache");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Contains(_app.Name("main"), listing);
        Assert.Contains("\"lastOutcome\":\"refreshed\"", listing);
        Assert.DoesNotContain("acl-main-value", listing);
        Assert.DoesNotContain("\"value\"", listing);
    }

    [Fact]
    public async Task Only_the_operator_may_start_warming_and_only_the_operator_and_the_page_may_read_the_cache()
    {
        using var notification = _app.CreateClient(SecretsServiceApp.NotificationKey);
        using var scheduler = _app.CreateClient(SecretsServiceApp.SchedulerKey);
        using var page = _app.CreateClient(SecretsServiceApp.OperationsPageKey);
        using var operatorClient = _app.CreateClient(SecretsServiceApp.OperatorKey);
        _app.Faults.ResetCalls();

        using var notificationWarm = await notification.PostAsync("/secrets/warm", null);
        using var schedulerWarm = await scheduler.PostAsync("/secrets/warm", null);
        using var pageWarm = await page.PostAsync("/secrets/warm", null);
        var callsAfterRefusals = _app.Faults.Calls;
        using var operatorWarm = await operatorClient.PostAsync("/secrets/warm", null);

        Assert.Equal(HttpStatusCode.Forbidden, notificationWarm.StatusCode);
        Assert.Equal("application/problem+json", notificationWarm.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Forbidden, schedulerWarm.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pageWarm.StatusCode);
        Assert.Equal(0, callsAfterRefusals);
        Assert.Equal(HttpStatusCode.OK, operatorWarm.StatusCode);
        foreach (var (client, expected) in new[] { (scheduler, HttpStatusCode.Forbidden), (notification, HttpStatusCode.Forbidden), (page, HttpStatusCode.OK), (operatorClient, HttpStatusCode.OK) })
        {
            using var cache = await client.GetAsync("/cache");
            Assert.Equal(expected, cache.StatusCode);
        }
    }

    [Fact]
    public async Task The_operations_page_caller_reads_no_secret_values()
    {
        using var page = _app.CreateClient(SecretsServiceApp.OperationsPageKey);

        using var response = await page.GetAsync($"/secrets/{_app.Name("main")}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("acl-main-value-7f3a", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_without_an_allow_list_cannot_read_values()
    {
        using var client = _app.CreateClient(SecretsServiceApp.OperatorKey);
        using var response = await client.GetAsync($"/secrets/{_app.Name("main")}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}

[Collection(MotoCollection.Name)]
public sealed class StartupValidationTests(MotoServer moto)
{
    [Fact]
    public async Task A_bad_breaker_setting_stops_start_up_naming_the_key()
    {
        var error = await SecretsServiceApp.StartFailureAsync(moto, new Dictionary<string, string?>
        {
            ["Secrets:CircuitBreaker:BreakDuration"] = "00:05:00",
            ["Secrets:CircuitBreaker:MaxBreakDuration"] = "00:01:00",
        });

        Assert.Contains("Secrets:CircuitBreaker:BreakDuration", error.ToString());
    }
}
