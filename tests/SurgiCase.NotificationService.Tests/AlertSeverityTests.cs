using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Subject, colour and the delivery log's record follow the event's <c>severity</c> (null: as before the field).</summary>
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
        (TestEvents.Partial() with { Severity = Severities.Critical }, "🚨 CRITICAL: Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#c62828", "critical"),
        (TestEvents.Partial() with { Severity = Severities.Warning }, "⚠️ WARNING: Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#e65100", "warning"),
        (TestEvents.Partial() with { Severity = null }, "⚠️ WARNING: Scheduled Job Partially Failed - Weekly Individual Provider Reports", "#e65100", "warning"),
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
    public void Subject_and_header_colour_follow_the_severity(IJobEvent jobEvent, string subject, string colour, string severity)
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
}
