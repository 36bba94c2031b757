using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The fallback webhook's client as the service runs it: with ServiceDefaults (tracing, HttpClient defaults with
/// the standard resilience handler) and the service's appsettings, SES rejecting every send so the webhook is used.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class WebhookClientTests(MotoServer moto) : IAsyncLifetime
{
    private const string Token = "SECRETTOKEN123";
    private readonly TempDirectory _dir = new();

    public Task InitializeAsync() => moto.ResetAsync(); // no verified sender: SES answers MessageRejected

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_webhook_url_from_a_secret_appears_in_no_span_and_no_log_record()
    {
        var activities = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            // Stopped spans only: the listener hears every test running beside this one, and reading the tags of a
            // span another test is still writing to can throw.
            ActivityStopped = activities.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var webhook = new WebhookListener(path: $"/services/T000/B000/{Token}/");
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(webhook.Url, capture.CreateLoggerProvider());

        await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => HandleAsync(host));

        Assert.Single(webhook.Drain());
        var spans = activities.Select(Describe).ToList();
        Assert.Contains(spans, s => s.StartsWith("webhook post", StringComparison.Ordinal) && s.Contains("server.address=127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, s => s.Contains(Token, StringComparison.Ordinal));
        Assert.NotEmpty(capture.Lines);
        Assert.DoesNotContain(capture.Lines, r => r.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_webhook_answering_500_is_posted_to_once_not_retried()
    {
        using var webhook = new WebhookListener(firstAnswers: [HttpStatusCode.InternalServerError]);
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(webhook.Url, capture.CreateLoggerProvider());

        // The alert is not delivered (the message is retried later through the queue), but Slack got one post, not two.
        await Assert.ThrowsAsync<Delivery.AlertNotEmailedException>(() => HandleAsync(host));

        Assert.Single(webhook.Drain());
    }

    [Fact]
    public async Task A_webhook_that_never_answers_fails_after_the_webhook_timeout()
    {
        using var webhook = new WebhookListener(hang: true);
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(webhook.Url, capture.CreateLoggerProvider(), ("Notifications:Webhook:Timeout", "00:00:00.300"));

        // One attempt, bounded by the webhook's own timeout: from the webhook receiving the post (the SES attempts
        // come before it) to the delivery giving up is far less than the 10 s default, even on a loaded machine.
        await Assert.ThrowsAsync<Delivery.AlertNotEmailedException>(() => HandleAsync(host));
        var afterArrival = Stopwatch.GetElapsedTime(webhook.LastArrival);

        Assert.True(afterArrival < TimeSpan.FromSeconds(5), $"the delivery gave up {afterArrival} after the webhook got the post");
        Assert.Single(webhook.Drain());
        var log = host.Services.GetRequiredService<Storage.IDeliveryLog>();
        Assert.Contains("webhook failed: TaskCanceledException", Assert.Single(await log.ListAsync(1, CancellationToken.None)).LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_answering_a_redirect_is_not_followed_and_the_alert_goes_nowhere_else()
    {
        // 307 would make a following client post the whole alert again to the host the answer names.
        using var trap = new RedirectTrap(HttpStatusCode.TemporaryRedirect);
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(trap.Url, capture.CreateLoggerProvider());

        await Assert.ThrowsAsync<Delivery.AlertNotEmailedException>(() => HandleAsync(host));

        Assert.Equal(1, trap.Redirects);
        Assert.Empty(trap.Captured);
    }

    [Fact]
    public async Task Outside_Development_a_plain_http_webhook_from_the_secret_is_not_posted_to()
    {
        using var webhook = new WebhookListener();
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(Environments.Production, webhook.Url, capture.CreateLoggerProvider(),
            ("Notifications:Sender", "alerts@surgicase.local"), ("Notifications:OperationsPageUrl", "https://ops.surgicase.local"),
            ("SecretsClient:BaseAddress", "http://secrets-service"));

        await Assert.ThrowsAsync<Delivery.AlertNotEmailedException>(() => HandleAsync(host));

        Assert.Empty(webhook.Drain());
        var log = host.Services.GetRequiredService<Storage.IDeliveryLog>();
        var error = Assert.Single(await log.ListAsync(1, CancellationToken.None)).LastError;
        Assert.Contains("webhook failed", error, StringComparison.Ordinal);
        Assert.DoesNotContain(webhook.Url.AbsolutePath, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_host_outside_the_allow_list_is_not_posted_to()
    {
        using var webhook = new WebhookListener();
        using var capture = new TelemetryCapture();
        using var host = await StartAsync(webhook.Url, capture.CreateLoggerProvider(), ("Notifications:Webhook:AllowedHosts:0", "*.slack.com"));

        await Assert.ThrowsAsync<Delivery.AlertNotEmailedException>(() => HandleAsync(host));

        Assert.Empty(webhook.Drain());
    }

    [Fact]
    public async Task A_configured_plain_http_webhook_url_stops_start_up_outside_Development_naming_the_key()
    {
        using var capture = new TelemetryCapture();

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => StartAsync(
            Environments.Production, new Uri("http://unused.invalid/"), capture.CreateLoggerProvider(),
            ("Notifications:Webhook:Url", "http://hooks.example.com/services/T/B/x"), ("Notifications:Sender", "alerts@surgicase.local"),
            ("Notifications:OperationsPageUrl", "https://ops.surgicase.local"), ("SecretsClient:BaseAddress", "http://secrets-service")));

        Assert.Contains("Notifications:Webhook:Url must be an https URL outside Development", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/services/T/B/x", error.Message, StringComparison.Ordinal);
    }

    private Task<IHost> StartAsync(Uri webhookUrl, CapturingLoggerProvider logs, params (string Key, string Value)[] settings) =>
        StartAsync(Environments.Development, webhookUrl, logs, settings);

    private async Task<IHost> StartAsync(string environment, Uri webhookUrl, CapturingLoggerProvider logs, params (string Key, string Value)[] settings)
    {
        // Development: the webhooks here are plain-http loopback listeners (https is required elsewhere).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = environment });
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        // Everything to the capture, whatever appsettings.json says (it hides HttpClient's Information records).
        builder.Logging.AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace);
        var values = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Notifications:DataDirectory"] = _dir.Path,
            ["Notifications:FallbackRecipients"] = "oncall@surgicase.local",
            ["Notifications:SesRetryBaseDelay"] = "00:00:00.001",
            ["Notifications:Webhook:SecretName"] = "surgicase/slack",
        };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(values);
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<IRecipientSource>(new FakeRecipientSource());
        builder.Services.AddSingleton<SurgiCase.SecretsClient.ISecretsClient>(
            new FakeSecretsClient(new() { [("surgicase/slack", "webhook_url")] = webhookUrl.ToString() }));
        builder.Services.AddNotificationDelivery();
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task HandleAsync(IHost host)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<Delivery.JobEventNotificationHandler>();
        await handler.HandleAsync(TestEvents.Failed(), new SurgiCase.Messaging.DeliveryContext("msg-1", 1, null), CancellationToken.None);
    }

    private static string Describe(Activity a) =>
        $"{a.DisplayName} {a.OperationName} {a.StatusDescription} "
        + string.Join(" ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))
        + string.Join(" ", a.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name}:{t.Key}={t.Value}")))
        + string.Join(" ", a.Baggage.Select(b => $"{b.Key}={b.Value}"));
}
