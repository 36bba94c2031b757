extern alias proxy;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SurgiCase.NotificationService.Feedback;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// Confirmed delivery (issue 19.3) across the real parts: NotificationService sends through the real LocalAwsProxy to
/// moto; the proxy plays SES's mailbox simulator into the feedback topic (moto's SNS), which delivers to the feedback
/// queue NotificationService reads.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class ConfirmedDeliveryTests(MotoServer moto) : IAsyncLifetime
{
    private const string Bounce = "bounce@simulator.amazonses.com";
    private const string Success = "success@simulator.amazonses.com";
    private const string Complaint = "complaint@simulator.amazonses.com";
    private const string Escalation = "lead@surgicase.local";
    private const string FeedbackQueue = "surgicase-ses-feedback";
    private const string FeedbackTopicArn = "arn:aws:sns:us-east-1:123456789012:surgicase-ses-feedback";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();
    private readonly WebhookListener _webhook = new();
    private WebApplicationFactory<proxy::Program> _proxy = null!;
    private WebApplicationFactory<Program> _service = null!;

    public async Task InitializeAsync()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        await moto.CreateQueueAsync(FeedbackQueue);
        await SnsAsync(new() { ["Action"] = "CreateTopic", ["Name"] = FeedbackQueue });
        await SnsAsync(new()
        {
            ["Action"] = "Subscribe", ["TopicArn"] = FeedbackTopicArn, ["Protocol"] = "sqs",
            ["Endpoint"] = $"arn:aws:sqs:us-east-1:123456789012:{FeedbackQueue}",
        });

        var proxyUrl = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}");
        _proxy = new ProxyApp(moto.Url);
        _proxy.UseKestrel(proxyUrl.Port);
        _proxy.StartServer();
        using (var probe = await moto.Http.GetAsync(new Uri(proxyUrl, "/alive")))
        {
            Assert.Equal(HttpStatusCode.OK, probe.StatusCode);
        }

        var recipients = new FakeRecipientSource { Settings = new($"{Bounce},{Success},{Complaint}", "admin@surgicase.local", Escalation) };
        _service = NotificationApp.Create(moto, _dir.Path, s => s.Replace(ServiceDescriptor.Singleton<IRecipientSource>(recipients)))
            .WithWebHostBuilder(web =>
            {
                web.UseSetting("Aws:ServiceUrl", proxyUrl.ToString());
                web.UseSetting("Notifications:Feedback:QueueName", FeedbackQueue);
                web.UseSetting("Notifications:Feedback:WaitTimeSeconds", "1");
                web.UseSetting("Notifications:Webhook:Url", _webhook.Url.ToString());
            });
    }

    public async Task DisposeAsync()
    {
        await _service.DisposeAsync();
        await _proxy.DisposeAsync();
        _webhook.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_bounce_is_recorded_re_sent_once_to_the_escalation_and_webhook_and_flagged_until_cleared()
    {
        var client = Client(NotificationApp.OperatorKey);
        using var sent = await client.PostAsync("/notifications/test", null);
        Assert.True(sent.StatusCode == HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        var alert = await sent.Content.ReadFromJsonAsync<JsonElement>();
        var id = alert.GetProperty("id").GetInt64();

        // Each recipient's status, from the mailbox simulator's feedback on this very email.
        var deliveries = await EventuallyAsync(async () =>
        {
            var record = await client.GetFromJsonAsync<JsonElement>($"/notifications/{id}");
            return record.TryGetProperty("deliveries", out var d) && d.ValueKind == JsonValueKind.Array && d.GetArrayLength() >= 4
                && d.EnumerateArray().Any(x => x.GetProperty("rebound").ValueKind == JsonValueKind.String
                    && !x.GetProperty("rebound").GetString()!.Equals("sending", StringComparison.Ordinal))
                ? d.EnumerateArray().Select(x => (Address: x.GetProperty("address").GetString(), Outcome: x.GetProperty("outcome").GetString(),
                    Permanent: x.GetProperty("permanent").GetBoolean(), Rebound: x.GetProperty("rebound").GetString())).ToList()
                : null;
        });
        Assert.Contains((Bounce, FeedbackOutcome.Bounced, true), deliveries.Select(d => (d.Address, d.Outcome, d.Permanent)));
        Assert.Contains((Success, FeedbackOutcome.Delivered, false), deliveries.Select(d => (d.Address, d.Outcome, d.Permanent)));
        Assert.Contains((Complaint, FeedbackOutcome.Delivered, false), deliveries.Select(d => (d.Address, d.Outcome, d.Permanent)));
        Assert.Contains((Complaint, FeedbackOutcome.Complained, false), deliveries.Select(d => (d.Address, d.Outcome, d.Permanent)));
        Assert.Contains("webhook", deliveries.Single(d => d.Outcome == FeedbackOutcome.Bounced).Rebound, StringComparison.Ordinal);

        // Re-sent, naming the address, to the escalation recipients (not the bounced address) and through the webhook.
        var rebound = Assert.Single(await moto.GetSentEmailsAsync(), e => e.Subject.StartsWith($"{BounceRebound.SubjectPrefix}: {Bounce}", StringComparison.Ordinal));
        Assert.Equal([Escalation], rebound.To);
        Assert.Contains(Bounce, rebound.Body, StringComparison.Ordinal);
        Assert.Contains(_webhook.Drain(), body => body.Contains($"{BounceRebound.SubjectPrefix}: {Bounce}", StringComparison.Ordinal));

        // The same notification again (SQS delivers at least once): recorded already, not re-sent twice.
        await using (var scope = _service.Services.CreateAsyncScope())
        {
            var handler = scope.ServiceProvider.GetRequiredService<SesFeedbackHandler>();
            var again = new System.Text.Json.Nodes.JsonObject
            {
                ["eventType"] = "Bounce",
                ["bounce"] = new System.Text.Json.Nodes.JsonObject
                {
                    ["bounceType"] = "Permanent",
                    ["bouncedRecipients"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["emailAddress"] = Bounce }),
                },
                ["mail"] = new System.Text.Json.Nodes.JsonObject { ["messageId"] = alert.GetProperty("sesMessageId").GetString() },
            }.ToJsonString();
            Assert.Equal(FeedbackDisposition.Done, await handler.HandleAsync(again, 1, CancellationToken.None));
        }

        Assert.Single(await moto.GetSentEmailsAsync(), e => e.Subject.StartsWith(BounceRebound.SubjectPrefix, StringComparison.Ordinal));

        // Flagged: /health Degraded, listed, until an operator clears it.
        Assert.Equal("Degraded", await HealthAsync("recipient-bounces"));
        var flagged = await client.GetFromJsonAsync<JsonElement>("/notifications/bounced-recipients");
        Assert.Equal(Bounce, Assert.Single(flagged.EnumerateArray()).GetProperty("address").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await Client(NotificationApp.OperationsPageKey).DeleteAsync($"/notifications/bounced-recipients/{Bounce}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/notifications/bounced-recipients/{Bounce}")).StatusCode);
        Assert.Equal("Healthy", await HealthAsync("recipient-bounces"));
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/notifications/bounced-recipients")).EnumerateArray());
    }

    private HttpClient Client(string key)
    {
        var client = _service.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private async Task<string?> HealthAsync(string check)
    {
        using var response = await Client(NotificationApp.OperatorKey).GetAsync("/health");
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        return report.GetProperty("checks").GetProperty(check).GetProperty("status").GetString();
    }

    /// <summary>Polls until <paramref name="probe"/> answers (a positive signal), or fails after <see cref="Patience"/>.</summary>
    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        using var deadline = new CancellationTokenSource(Patience);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            Assert.False(deadline.IsCancellationRequested, "The SES feedback did not arrive in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }
    }

    /// <summary>The real LocalAwsProxy on a real port, in front of moto, publishing to the feedback topic.</summary>
    private sealed class ProxyApp(Uri motoUrl) : WebApplicationFactory<proxy::Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("LocalAwsProxy:Upstream", motoUrl.ToString());
            builder.UseSetting("LocalAwsProxy:SesFeedbackTopicArn", FeedbackTopicArn);
        }
    }

    private async Task SnsAsync(Dictionary<string, string> form)
    {
        form["Version"] = "2010-03-31";
        using var request = new HttpRequestMessage(HttpMethod.Post, moto.Url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Authorization", MotoAdmin.DummyAuthorization("sns"));
        using var response = await moto.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
    }
}
