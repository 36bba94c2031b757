using System.Text.Json;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// Subject, colour and the delivery log's record follow the event's <c>severity</c> (null: as before the field),
/// except that a partial failure always looks like the seed's orange ⚠️ email and carries its severity as a tag only.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AlertSeverityTests(MotoServer moto) : IAsyncLifetime
{
    private static readonly RenderContext Context = new("0af7651916cd43dd8448eb211c80319c", new Uri("http://localhost:5100/"));

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly (IJobEvent Event, string Subject, string Colour, string Severity)[] All =
    [
        (TestEvents.Failed() with { Severity = Severities.Critical }, "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", "#c62828", "critical"),
        (TestEvents.Failed() with { Severity = null }, "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", "#c62828", "critical"),
        (TestEvents.Failed() with { Severity = Severities.Warning, JobName = "Pool Stats" }, "⚠️ WARNING: Scheduled Job Failed - Pool Stats", "#e65100", "warning"),
        // The seed: every partial failure is the orange ⚠️ email; its severity is only the tag.
        (TestEvents.Partial() with { Severity = Severities.Critical }, "⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#e65100", "critical"),
        (TestEvents.Partial() with { Severity = Severities.Warning }, "⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#e65100", "warning"),
        (TestEvents.Partial() with { Severity = null }, "⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#e65100", "warning"),
        (TestEvents.Recovered(), "✅ RESOLVED: Scheduled Job Recovered - Weekly Provider Payment Report", "#2e7d32", "resolved"),
    ];

    public static TheoryData<IJobEvent, string, string, string> Cases()
    {
        var data = new TheoryData<IJobEvent, string, string, string>();
        foreach (var c in All)
        {
            data.Add(c.Event, c.Subject, c.Colour, c.Severity);
        }

        return data;
    }

    public static TheoryData<IJobEvent, string, string> LogCases()
    {
        var data = new TheoryData<IJobEvent, string, string>();
        foreach (var c in All)
        {
            data.Add(c.Event, c.Subject, c.Severity);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Subject_and_header_colour_follow_the_kind_and_severity(IJobEvent jobEvent, string subject, string colour, string severity)
    {
        var email = EmailRenderer.Render(jobEvent, Context);

        Assert.Equal(subject, email.Subject);
        Assert.Contains($"<td style=\"background:{colour};color:#ffffff;", email.Html, StringComparison.Ordinal);
        Assert.StartsWith(subject, email.Text, StringComparison.Ordinal);
        Assert.Equal(severity, AlertSeverities.Name(AlertSeverities.Of(jobEvent)));
    }

    [Theory]
    [MemberData(nameof(LogCases))]
    public async Task The_delivery_log_records_the_severity_of_what_was_sent(IJobEvent jobEvent, string subject, string severity)
    {
        await using var harness = DeliveryHarness.Create(moto);

        await harness.HandleAsync(jobEvent);

        Assert.Equal(subject, Assert.Single(await moto.GetSentEmailsAsync()).Subject);
        var record = Assert.Single(await harness.Log.ListAsync(10, CancellationToken.None));
        Assert.Equal((severity, subject), (record.Severity, record.Subject));
        Assert.Equal(severity, (await harness.Log.GetAsync(record.Id, CancellationToken.None))!.Severity);
    }

    [Fact]
    public async Task A_critical_partial_failure_is_orange_but_tagged_critical_in_the_webhook_and_the_log_and_gets_reminders()
    {
        using var webhook = new WebhookListener();
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?>
        {
            ["Notifications:Webhook:Url"] = webhook.Url.ToString(),
            ["Notifications:Webhook:Format"] = "json",
        });

        await harness.HandleAsync(TestEvents.Partial() with { Severity = Severities.Critical });

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal("⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports", email.Subject);
        Assert.Contains("<td style=\"background:#e65100;color:#ffffff;", email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("#c62828", email.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("🚨", email.Body, StringComparison.Ordinal);

        // Posted beside the email because it is critical (ParallelSeverities defaults to critical), and says so.
        var post = JsonDocument.Parse(Assert.Single(webhook.Drain())).RootElement;
        Assert.Equal(("critical", "⚠️ Scheduled Job Partially Failed - Weekly Individual Provider Reports"),
            (post.GetProperty("severity").GetString(), post.GetProperty("subject").GetString()));

        var record = (await harness.Log.ListAsync(10, CancellationToken.None)).Single(r => r.Channel == "email");
        Assert.Equal("critical", record.Severity);
        Assert.NotNull((await harness.Log.GetAsync(record.Id, CancellationToken.None))!.NextReminderAt);
    }
}
