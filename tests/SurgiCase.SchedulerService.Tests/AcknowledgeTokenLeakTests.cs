using System.Net;
using Microsoft.Extensions.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// Issue 18.4: an emailed link's token is a key to one alert's acknowledgement, so it must not reach CloudWatch. Every
/// output of the page's host is captured (JSON console with scopes as the containers log, the OTLP view of each record,
/// spans, metric tags) around a GET and a POST of a link, a refused POST and a bad link, and searched for the tokens.
/// </summary>
public sealed class AcknowledgeTokenLeakTests : IAsyncLifetime
{
    // Not a token the stub knows: the bad-link path (NotificationService's 400, the panel's warning) carries it.
    private static readonly string ForgedToken = "forged~token." + Guid.NewGuid().ToString("N");
    private readonly EveryOutputCapture _capture = new();
    private readonly PageWithNotificationsStub _page;

    public AcknowledgeTokenLeakTests() =>
        _page = new PageWithNotificationsStub(services: services => _capture.AddTo(services, ContainerLogging.ConfigureJsonConsole));

    public Task InitializeAsync() => _page.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _page.DisposeAsync();
        _capture.Dispose();
    }

    [Fact]
    public async Task No_log_line_span_or_metric_holds_the_token_of_a_link_shown_posted_refused_or_forged()
    {
        using var client = OperationsPageClient.Create(_page.App);
        var path = $"/ack/{NotificationServiceStub.GoodToken}";

        var antiforgery = OperationsPageClient.AntiforgeryToken(await client.GetStringAsync(path));
        using var refused = await client.PostAsync(path, new FormUrlEncodedContent([]));
        using var posted = await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__af"] = antiforgery }));
        using var forged = await client.GetAsync($"/ack/{Uri.EscapeDataString(ForgedToken)}");
        // Routing ignores case: the same link in capitals must be masked as well.
        using var shouted = await client.GetAsync($"/ACK/{Uri.EscapeDataString(ForgedToken)}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal([$"token:{NotificationServiceStub.GoodToken}"], _page.Notifications.Acknowledgements);
        var lines = await WaitForRequestLogsAsync();

        string[] tokens = [NotificationServiceStub.GoodToken, ForgedToken, Uri.EscapeDataString(ForgedToken), "forged~token", "forged%7Etoken"];
        var leaks = TelemetryCapture.FindValues(lines, tokens);
        Assert.True(leaks.Count == 0, $"{leaks.Count} outputs hold an acknowledge token:{Environment.NewLine}{string.Join(Environment.NewLine, leaks.Take(10))}");
        // The capture saw the requests, their scopes and the panel's warning, masked.
        Assert.Contains(lines, l => l.StartsWith("json ", StringComparison.Ordinal) && l.Contains("\"RequestPath\":\"/ack/{token}\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("otlp ", StringComparison.Ordinal) && l.Contains("RequestPath=/ack/{token}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("json ", StringComparison.Ordinal) && l.Contains("missing or invalid antiforgery token", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("span ", StringComparison.Ordinal) && l.Contains("url.path=/ack/{token}", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("metric ", StringComparison.Ordinal) && l.Contains("http.route=/ack/{token}", StringComparison.Ordinal));
    }

    /// <summary>The last request's "Request finished" record and span are written after its answer reached the client.</summary>
    private async Task<IReadOnlyList<string>> WaitForRequestLogsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = _capture.Lines;
            var finished = lines.Count(l => l.StartsWith("json ", StringComparison.Ordinal) && l.Contains("Request finished", StringComparison.Ordinal) && l.Contains("ack/", StringComparison.OrdinalIgnoreCase));
            if (finished >= 5 || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(20);
        }
    }
}
