using System.Net;
using System.Text.Json;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Slack (or a JSON webhook) beside the email for the chosen severities, each channel delivered and recorded on its own.</summary>
[Collection(MotoCollection.Name)]
public sealed class SlackChannelTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private static Dictionary<string, string?> Settings(WebhookListener webhook) => new() { ["Notifications:Webhook:Url"] = webhook.Url.ToString() };

    private static string TextOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("text").GetString()!;

    [Fact]
    public async Task A_critical_alert_goes_to_email_and_slack_each_recorded_once()
    {
        using var webhook = new WebhookListener();
        await using var harness = DeliveryHarness.Create(moto, Settings(webhook));
        var failed = TestEvents.Failed();

        await harness.HandleAsync(failed);
        await harness.HandleAsync(failed, receiveCount: 2);

        Assert.Single(await moto.GetSentEmailsAsync());
        var text = TextOf(Assert.Single(webhook.Drain()));
        Assert.StartsWith("*🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report*", text, StringComparison.Ordinal);
        Assert.Contains("Error: API returned 500 Internal Server Error", text, StringComparison.Ordinal);
        Assert.Contains("Run ID: run-20251020-0900", text, StringComparison.Ordinal);
        Assert.Contains("<http://localhost:5100/|Open the operations page>", text, StringComparison.Ordinal);
        Assert.DoesNotContain("email failed", text, StringComparison.Ordinal);

        var rows = await harness.Log.ListAsync(10, CancellationToken.None);
        Assert.Equal(
            [(failed.EventId + ":webhook", "webhook", "sent"), (failed.EventId, "email", "sent")],
            rows.Select(r => (r.EventId, r.Channel, r.Status)).ToList());
    }

    [Fact]
    public async Task A_warning_goes_to_email_only_by_default()
    {
        using var webhook = new WebhookListener();
        await using var harness = DeliveryHarness.Create(moto, Settings(webhook));

        await harness.HandleAsync(TestEvents.Failed() with { Severity = Severities.Warning });

        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Empty(webhook.Drain());
    }

    [Fact]
    public async Task A_failed_post_is_retried_without_emailing_again()
    {
        using var webhook = new WebhookListener(firstAnswers: [HttpStatusCode.InternalServerError]);
        await using var harness = DeliveryHarness.Create(moto, Settings(webhook));
        var failed = TestEvents.Failed();

        var error = await Assert.ThrowsAsync<WebhookPostFailedException>(() => harness.HandleAsync(failed));
        Assert.Equal($"Event {failed.EventId} was emailed, but the post beside the email failed: webhook failed: HttpRequestException.", error.Message);
        Assert.Single(await moto.GetSentEmailsAsync());

        await harness.HandleAsync(failed, receiveCount: 2);

        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(2, webhook.Drain().Count);
        var post = (await harness.Log.ListAsync(10, CancellationToken.None)).Single(r => r.Channel == "webhook");
        Assert.Equal(("sent", 2), (post.Status, post.Attempts));
    }

    [Fact]
    public async Task When_email_fails_slack_hears_of_it_once_as_the_fallback()
    {
        await moto.ResetAsync(); // no verified sender: SES answers MessageRejected
        using var webhook = new WebhookListener();
        await using var harness = DeliveryHarness.Create(moto, Settings(webhook));

        await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => harness.HandleAsync(TestEvents.Failed()));

        Assert.Contains("email failed: SES MessageRejected", TextOf(Assert.Single(webhook.Drain())), StringComparison.Ordinal);
    }

    [Fact]
    public void Error_text_cannot_ping_the_channel_or_forge_a_link_and_the_acknowledge_link_is_shown()
    {
        var failed = TestEvents.Failed(errorMessage: "<!channel> see <https://evil.example/|the fix> & more") with { JobName = "Report <!here>" };
        var content = EmailRenderer.Describe(failed, new RenderContext("abc", new Uri("http://localhost:5100/"))) with
        {
            AcknowledgeUrl = new Uri("http://localhost:5100/ack/token-1"),
        };

        var text = SlackText.Write(content, null);

        Assert.DoesNotContain("<!", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<https://evil", text, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt; see &lt;https://evil.example/|the fix&gt; &amp; more", text, StringComparison.Ordinal);
        Assert.Contains("Job: Report &lt;!here&gt;", text, StringComparison.Ordinal);
        Assert.Contains("<http://localhost:5100/ack/token-1|Acknowledge>", text, StringComparison.Ordinal);
        Assert.Contains("Trace ID: abc", text, StringComparison.Ordinal);
    }
}
