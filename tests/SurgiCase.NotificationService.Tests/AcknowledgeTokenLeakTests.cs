using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// Issue 18.4, NotificationService's side: the token it puts in an email's link, and that the operations page passes on
/// in a body, shows up in no log line (JSON console with scopes, OTLP view), span or metric tag while the alert is
/// sent, looked up, acknowledged and a tampered copy refused.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed partial class AcknowledgeTokenLeakTests(MotoServer moto) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly EveryOutputCapture _capture = new();
    private WebApplicationFactory<Program> _factory = null!;

    public async Task InitializeAsync()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        _factory = NotificationApp.Create(moto, _dir.Path, services => _capture.AddTo(services, ContainerLogging.ConfigureJsonConsole));
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        _capture.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task No_log_line_span_or_metric_holds_the_token_of_a_sent_looked_up_acknowledged_or_tampered_link()
    {
        using var operatorClient = Client(NotificationApp.OperatorKey);
        using var page = Client(NotificationApp.OperationsPageKey);
        using var sent = await operatorClient.PostAsync("/notifications/test", null);
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var token = WebUtility.HtmlDecode(AckToken().Match((await moto.GetSentEmailsAsync())[^1].Body).Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(token));
        var tampered = token[..^2] + (token[^2] == 'A' ? "BB" : "AA");

        using var lookup = await page.PostAsJsonAsync("/notifications/acknowledgements/lookup", new { token });
        using var acknowledged = await page.PostAsJsonAsync("/notifications/acknowledgements", new { token });
        using var refused = await page.PostAsJsonAsync("/notifications/acknowledgements", new { token = tampered });

        Assert.Equal(HttpStatusCode.OK, lookup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, acknowledged.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var lines = await WaitForRequestLogsAsync();
        var forms = new[] { token, tampered }
            .SelectMany(t => new[] { t, Uri.EscapeDataString(t), JsonEncodedText.Encode(t).ToString() })
            .Distinct().ToArray();
        var leaks = TelemetryCapture.FindValues(lines, forms);
        Assert.True(leaks.Count == 0, $"{leaks.Count} outputs hold an acknowledge token:{Environment.NewLine}{string.Join(Environment.NewLine, leaks.Take(10))}");
        // The capture saw the acknowledgement requests and the refusal.
        Assert.Contains(lines, l => l.StartsWith("json ", StringComparison.Ordinal) && l.Contains("\"RequestPath\":\"/notifications/acknowledgements\"", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("otlp ", StringComparison.Ordinal) && l.Contains("Acknowledge link rejected", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("span ", StringComparison.Ordinal) && l.Contains("/notifications/acknowledgements", StringComparison.Ordinal));
    }

    private HttpClient Client(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<IReadOnlyList<string>> WaitForRequestLogsAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var lines = _capture.Lines;
            var finished = lines.Count(l => l.StartsWith("json ", StringComparison.Ordinal) && l.Contains("Request finished", StringComparison.Ordinal)
                && l.Contains("/notifications/acknowledgements", StringComparison.Ordinal));
            if (finished >= 3 || DateTime.UtcNow > deadline)
            {
                return lines;
            }

            await Task.Delay(20);
        }
    }

    [GeneratedRegex("data-role=\"acknowledge\" href=\"[^\"]*/ack/([^\"]+)\"")]
    private static partial Regex AckToken();
}
