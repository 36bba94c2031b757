using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace SurgiCase.ApiSimulator.Tests;

/// <summary>
/// Slow mode with <c>continueAfterDisconnect</c>: the work outlives a caller that timed out, its retry with the same
/// <c>Idempotency-Key</c> is a 409 while the work runs and gets the stored result once it is done. On a fake clock and
/// real Kestrel, so the caller giving up is a real disconnect (the in-memory test server waits for the app's answer).
/// </summary>
public sealed class SlowWorkTests : IDisposable
{
    private const string Path = "/api/reports/provider-payment";
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2025, 10, 20, 9, 0, 0, TimeSpan.Zero));
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public SlowWorkTests()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(_time);
        }));
        _factory.UseKestrel(0);
        _factory.StartServer();
        _client = _factory.CreateClient();
    }

    [Fact]
    public async Task Work_that_outlives_its_client_answers_409_to_the_retry_until_done_then_the_stored_result()
    {
        await SetFaultAsync(new { mode = "slow", delaySeconds = 600, continueAfterDisconnect = true, path = Path });
        var key = "weekly-provider-payment-report/fire/" + Guid.NewGuid().ToString("N");

        await TimeOutFirstCallAsync(key);

        using (var whileRunning = await PostAsync(key))
        {
            Assert.Equal(HttpStatusCode.Conflict, whileRunning.StatusCode);
        }

        // The fault is cleared: only the work already under way is slow. Once its 600 s have passed it is done and kept.
        (await _client.DeleteAsync("/faults")).EnsureSuccessStatusCode();
        var before = _time.GetUtcNow();
        using var done = await WaitAsync(key, r => r.StatusCode != HttpStatusCode.Conflict, () => _time.Advance(TimeSpan.FromSeconds(100)));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Equal("true", Assert.Single(done.Headers.GetValues("Idempotent-Replayed")));
        var body = await done.Content.ReadFromJsonAsync<ReportResult>();
        Assert.True(body!.GeneratedAt >= before.AddSeconds(600), $"generated at {body.GeneratedAt}, the work started before {before}");
    }

    [Fact]
    public async Task Without_the_switch_the_work_stops_with_its_client_and_the_retry_does_it()
    {
        await SetFaultAsync(new { mode = "slow", delaySeconds = 600, path = Path, times = 1 });
        var key = Guid.NewGuid().ToString("N");

        await TimeOutFirstCallAsync(key);

        using var retry = await WaitAsync(key, r => r.StatusCode != HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
    }

    [Theory]
    [InlineData("error")]
    [InlineData("partial")]
    public async Task The_switch_is_refused_outside_slow_mode_naming_the_field(string mode)
    {
        using var response = await _client.PostAsJsonAsync("/faults", new { mode, continueAfterDisconnect = true });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("continueAfterDisconnect", out _));
    }

    /// <summary>Sends the first call, waits until the simulator has it, then gives up on it as a timed-out client does.</summary>
    private async Task TimeOutFirstCallAsync(string key)
    {
        using var giveUp = new CancellationTokenSource();
        var first = PostAsync(key, giveUp.Token);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _client.GetFromJsonAsync<JsonElement[]>("/requests"))!.Length == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The first call never reached the simulator.");
            await Task.Delay(10);
        }

        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
    }

    /// <summary>Repeats the key until <paramref name="done"/> holds (the simulator finishes on its own thread), at most 10 s.</summary>
    private async Task<HttpResponseMessage> WaitAsync(string key, Func<HttpResponseMessage, bool> done, Action? eachPoll = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var response = await PostAsync(key);
            if (done(response) || DateTime.UtcNow > deadline)
            {
                return response;
            }

            response.Dispose();
            eachPoll?.Invoke();
            await Task.Delay(10);
        }
    }

    private async Task SetFaultAsync(object fault) => (await _client.PostAsJsonAsync("/faults", fault)).EnsureSuccessStatusCode();

    private Task<HttpResponseMessage> PostAsync(string key, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path);
        request.Headers.Add("Idempotency-Key", key);
        return _client.SendAsync(request, cancellationToken);
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }
}
