using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SurgiCase.ApiSimulator.Tests;

public sealed class FaultSwitchTests : IClassFixture<WebApplicationFactory<Program>>, IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public FaultSwitchTests(WebApplicationFactory<Program> factory)
    {
        _factory = factory;
        _client = factory.CreateClient();
    }

    public async Task InitializeAsync() => (await _client.DeleteAsync("/faults")).EnsureSuccessStatusCode();

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("/api/reports/provider-payment")]
    [InlineData("/api/reports/provider-payment-summary")]
    [InlineData("/api/reports/referral")]
    [InlineData("/api/reports/individual-provider")]
    [InlineData("/api/npi/update")]
    [InlineData("/api/maintenance/database-backup")]
    public async Task Report_endpoints_succeed_by_default(string path)
    {
        using var response = await _client.PostAsync(path, null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<ReportResult>();
        Assert.Equal(0, body!.Failed);
        Assert.True(body.Succeeded > 0);
    }

    [Fact]
    public async Task The_health_path_answers_without_a_key_and_fails_with_a_fault_that_covers_it()
    {
        using (var healthy = await _client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }

        // A fault on one report route leaves the health path alone; one without a path takes the whole API down.
        await Post(new { mode = "error", status = 500, path = "/api/reports/referral" });
        using (var elsewhere = await _client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }

        await Post(new { mode = "error", status = 503 });
        using var down = await _client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.DoesNotContain(await _client.GetFromJsonAsync<JsonElement[]>("/requests") ?? [],
            r => r.GetProperty("path").GetString() == "/api/health");
    }

    [Fact]
    public async Task Error_mode_answers_the_status_with_a_problem_body_only_under_its_path()
    {
        await Post(new { mode = "error", status = 503, path = "/api/reports/referral" });

        using var failing = await _client.PostAsync("/api/reports/referral", null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failing.StatusCode);
        Assert.Equal("application/problem+json", failing.Content.Headers.ContentType?.MediaType);

        using var other = await _client.PostAsync("/api/reports/provider-payment", null);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Partial_mode_reports_failed_items()
    {
        await Post(new { mode = "partial" });

        var body = await (await _client.PostAsync("/api/reports/provider-payment", null)).Content.ReadFromJsonAsync<ReportResult>();
        Assert.Equal((40, 3, 43), (body!.Succeeded, body.Failed, body.Total));
        Assert.Equal(3, body.FailedItems.Count);
    }

    [Fact]
    public async Task Partial_mode_reports_as_many_and_as_long_failed_items_as_asked()
    {
        await Post(new { mode = "partial", failedItems = 5000, itemLength = 200 });

        var body = await (await _client.PostAsync("/api/reports/provider-payment", null)).Content.ReadFromJsonAsync<ReportResult>();
        Assert.Equal((40, 5000, 5040), (body!.Succeeded, body.Failed, body.Total));
        Assert.Equal(5000, body.FailedItems.Count);
        Assert.All(body.FailedItems, item => Assert.Equal(200, item.Length));
        Assert.Equal(5000, body.FailedItems.Distinct().Count());
    }

    [Fact]
    public async Task Times_limits_the_fault_then_the_simulator_heals()
    {
        await Post(new { mode = "error", status = 500, times = 1 });

        Assert.Equal(HttpStatusCode.InternalServerError, (await _client.PostAsync("/api/npi/update", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/npi/update", null)).StatusCode);
        using var current = JsonDocument.Parse(await _client.GetStringAsync("/faults"));
        Assert.Equal("ok", current.RootElement.GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Delete_clears_the_fault()
    {
        await Post(new { mode = "error" });
        (await _client.DeleteAsync("/faults")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.OK, (await _client.PostAsync("/api/reports/referral", null)).StatusCode);
    }

    [Theory]
    [InlineData("""{"mode":"explode"}""", "mode")]
    [InlineData("""{"mode":"error","status":200}""", "status")]
    [InlineData("""{"mode":"slow","delaySeconds":-1}""", "delaySeconds")]
    [InlineData("""{"mode":"error","status":"boom"}""", "status")]
    [InlineData("""{"mode":"error","colour":"red"}""", "colour")]
    [InlineData("""{"mode":"error","path":"api"}""", "path")]
    [InlineData("""{"mode":"partial","failedItems":0}""", "failedItems")]
    [InlineData("""{"mode":"partial","itemLength":100001}""", "itemLength")]
    public async Task Invalid_fault_settings_are_a_400_naming_the_field(string json, string field)
    {
        using var response = await _client.PostAsync("/faults", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), problem.RootElement.ToString());
    }

    [Fact]
    public async Task A_required_api_key_is_enforced_on_report_routes_only()
    {
        using var secured = _factory.WithWebHostBuilder(b => b.UseSetting("Simulator:RequiredApiKey", "k-123"));
        using var client = secured.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/api/reports/referral", null)).StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/reports/referral");
        request.Headers.Add("X-Api-Key", "k-123");
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/faults")).StatusCode);
    }

    [Fact]
    public void A_required_api_key_that_no_header_could_carry_stops_start_up_naming_the_key()
    {
        using var broken = _factory.WithWebHostBuilder(b => b.UseSetting("Simulator:RequiredApiKey", "k-123\n"));

        var error = Assert.ThrowsAny<Exception>(() => broken.CreateClient());

        Assert.Contains("Simulator:RequiredApiKey", error.ToString(), StringComparison.Ordinal);
    }

    private async Task Post(object fault) => (await _client.PostAsJsonAsync("/faults", fault)).EnsureSuccessStatusCode();
}
