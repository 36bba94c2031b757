using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SurgiCase.ApiSimulator.Reports;

namespace SurgiCase.ApiSimulator.Tests;

/// <summary>The simulator honours and records <c>Idempotency-Key</c> as the real API must.</summary>
public sealed class IdempotencyTests : IClassFixture<WebApplicationFactory<Program>>, IAsyncLifetime
{
    private const string KeyHeader = "Idempotency-Key";
    private const string ReplayedHeader = "Idempotent-Replayed";

    private readonly HttpClient _client;

    public IdempotencyTests(WebApplicationFactory<Program> factory) => _client = factory.CreateClient();

    public async Task InitializeAsync()
    {
        (await _client.DeleteAsync("/faults")).EnsureSuccessStatusCode();
        (await _client.DeleteAsync("/requests")).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_repeat_of_a_key_gets_the_first_result_without_the_report_being_made_again()
    {
        var key = "weekly-provider-payment-report/fire/" + Guid.NewGuid().ToString("N");
        using var first = await PostAsync("/api/reports/provider-payment", key);
        var firstBody = await first.Content.ReadFromJsonAsync<ReportResult>();

        // Even a fault switched on since does not reach a request the API already answered.
        (await _client.PostAsJsonAsync("/faults", new { mode = "error", status = 500 })).EnsureSuccessStatusCode();
        using var repeat = await PostAsync("/api/reports/provider-payment", key);
        var repeatBody = await repeat.Content.ReadFromJsonAsync<ReportResult>();
        using var other = await PostAsync("/api/reports/provider-payment", key + "-other");

        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal("true", Assert.Single(repeat.Headers.GetValues(ReplayedHeader)));
        Assert.Equal(firstBody!.GeneratedAt, repeatBody!.GeneratedAt);
        Assert.False(first.Headers.Contains(ReplayedHeader));
        Assert.Equal(HttpStatusCode.InternalServerError, other.StatusCode);
    }

    [Fact]
    public async Task A_failed_attempt_does_not_keep_its_key_so_the_retry_does_the_work()
    {
        var key = Guid.NewGuid().ToString("N");
        (await _client.PostAsJsonAsync("/faults", new { mode = "error", status = 503, times = 1 })).EnsureSuccessStatusCode();

        using var failed = await PostAsync("/api/reports/referral", key);
        using var retried = await PostAsync("/api/reports/referral", key);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False(retried.Headers.Contains(ReplayedHeader));
    }

    [Fact]
    public async Task The_same_key_on_another_route_is_refused()
    {
        var key = Guid.NewGuid().ToString("N");
        using var first = await PostAsync("/api/reports/referral", key);
        using var elsewhere = await PostAsync("/api/npi/update", key);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, elsewhere.StatusCode);
    }

    [Fact]
    public async Task Requests_lists_each_calls_path_and_key()
    {
        using var keyed = await PostAsync("/api/reports/referral", "key-1");
        using var repeat = await PostAsync("/api/reports/referral", "key-1");
        using var unkeyed = await _client.PostAsync("/api/npi/update", null);

        var requests = await _client.GetFromJsonAsync<List<ReceivedRequest>>("/requests");

        Assert.Equal(
            [("/api/reports/referral", "key-1"), ("/api/reports/referral", "key-1"), ("/api/npi/update", null)],
            requests!.Select(r => (r.Path, r.IdempotencyKey)).ToArray<(string, string?)>());
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_is_a_400()
    {
        using var response = await PostAsync("/api/reports/referral", new string('k', 256));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private Task<HttpResponseMessage> PostAsync(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add(KeyHeader, key);
        return _client.SendAsync(request);
    }
}
