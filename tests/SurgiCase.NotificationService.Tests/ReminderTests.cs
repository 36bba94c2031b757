using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// An unacknowledged critical alert is re-sent after the interval to the same recipients, escalates after N reminders,
/// and stops on acknowledgement or recovery; replicas sharing the database send each reminder once (issue 11.3).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed partial class ReminderTests(MotoServer moto) : IAsyncLifetime
{
    private const string Subject = "🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report";
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new(TestEvents.At);

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private DeliveryHarness Harness(TempDirectory? shared = null)
    {
        var harness = DeliveryHarness.Create(moto, configure: services => services.AddSingleton<TimeProvider>(_time), sharedDirectory: shared);
        harness.Recipients.Settings = new RecipientSettings("ops@surgicase.local", "admin@surgicase.local", "escalation@surgicase.local");
        return harness;
    }

    private static ReminderSender Sender(DeliveryHarness harness) => harness.Services.GetRequiredService<ReminderSender>();

    private static async Task<long> AlertIdAsync(DeliveryHarness harness) =>
        (await harness.Log.ListAsync(10, CancellationToken.None)).Single(r => r.MessageType == MessageTypes.JobFailed).Id;

    [Fact]
    public async Task The_critical_alert_carries_an_acknowledge_link_to_the_operations_page()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());

        var email = Assert.Single(await moto.GetSentEmailsAsync());
        var link = AckLink(email.Body);
        Assert.StartsWith("http://localhost:5100/ack/", link, StringComparison.Ordinal);
        var check = harness.Services.GetRequiredService<AcknowledgeTokens>().Read(link["http://localhost:5100/ack/".Length..]);
        Assert.Equal((TokenStatus.Valid, await AlertIdAsync(harness)), (check.Status, check.AlertId));
    }

    [Fact]
    public async Task A_warning_has_no_acknowledge_link_and_no_reminders()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed() with { Severity = Severities.Warning });

        Assert.DoesNotContain("/ack/", Assert.Single(await moto.GetSentEmailsAsync()).Body, StringComparison.Ordinal);
        _time.Advance(Interval * 3);
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_test_notification_has_the_link_but_no_reminders()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed() with { Trigger = Triggers.Test });

        Assert.Contains("/ack/", Assert.Single(await moto.GetSentEmailsAsync()).Body, StringComparison.Ordinal);
        _time.Advance(Interval * 3);
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_reminder_goes_to_the_same_recipients_after_the_interval_and_not_before()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));
        Assert.Single(await moto.GetSentEmailsAsync());

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Sender(harness).SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Equal($"Reminder 1 of 2: {Subject}", emails[1].Subject);
        Assert.Equal(["ops@surgicase.local"], emails[1].To);
        Assert.Contains("/ack/", emails[1].Body, StringComparison.Ordinal);
        var record = (await harness.Log.GetAsync(await AlertIdAsync(harness), CancellationToken.None))!;
        Assert.Equal((1, TestEvents.At + Interval * 2), (record.RemindersSent, record.NextReminderAt));
    }

    [Fact]
    public async Task After_the_reminders_one_escalation_goes_to_the_escalation_list_then_they_end()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(Interval);
            Assert.Equal(1, await Sender(harness).SendDueAsync(CancellationToken.None));
        }

        _time.Advance(Interval * 4);
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal([Subject, $"Reminder 1 of 2: {Subject}", $"Reminder 2 of 2: {Subject}", $"Escalation: not acknowledged - {Subject}"],
            emails.Select(e => e.Subject));
        Assert.Equal(["escalation@surgicase.local"], emails[3].To);
        var record = (await harness.Log.GetAsync(await AlertIdAsync(harness), CancellationToken.None))!;
        Assert.Equal(["escalation@surgicase.local"], record.EscalatedTo);
        Assert.StartsWith("escalated at", record.RemindersEnded, StringComparison.Ordinal);
        Assert.Null(record.NextReminderAt);
    }

    [Fact]
    public async Task Without_an_escalation_list_the_escalation_goes_to_admin_email()
    {
        await using var harness = Harness();
        harness.Recipients.Settings = new RecipientSettings("ops@surgicase.local", "admin@surgicase.local");
        await harness.HandleAsync(TestEvents.Failed());

        for (var i = 0; i < 3; i++)
        {
            _time.Advance(Interval);
            await Sender(harness).SendDueAsync(CancellationToken.None);
        }

        var escalation = (await moto.GetSentEmailsAsync())[3];
        Assert.Equal(["admin@surgicase.local"], escalation.To);
        Assert.Contains("Escalated to admin_email because job_failure_escalation", escalation.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Acknowledging_stops_the_reminders_and_only_the_first_acknowledgement_counts()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());
        _time.Advance(Interval);
        Assert.Equal(1, await Sender(harness).SendDueAsync(CancellationToken.None));

        var log = harness.Services.GetRequiredService<IAcknowledgementLog>();
        var id = await AlertIdAsync(harness);
        var first = await log.AcknowledgeAsync(id, "alice (operations page)", _time.GetUtcNow(), CancellationToken.None);
        var second = await log.AcknowledgeAsync(id, "bob (operations page)", _time.GetUtcNow() + TimeSpan.FromMinutes(1), CancellationToken.None);

        Assert.Equal(AcknowledgeOutcome.Acknowledged, first.Outcome);
        Assert.Equal(AcknowledgeOutcome.AlreadyAcknowledged, second.Outcome);
        Assert.Equal(("alice (operations page)", _time.GetUtcNow()), (second.Record!.AcknowledgedBy, second.Record.AcknowledgedAt));
        _time.Advance(Interval * 5);
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));
        Assert.Equal(2, (await moto.GetSentEmailsAsync()).Count);
    }

    [Fact]
    public async Task The_job_recovering_ends_the_reminders()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());
        await harness.HandleAsync(TestEvents.Recovered() with { OccurredAt = TestEvents.At + TimeSpan.FromMinutes(10) });

        _time.Advance(Interval * 4);
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));
        Assert.Equal(2, (await moto.GetSentEmailsAsync()).Count); // the alert and the recovery
        var record = (await harness.Log.GetAsync(await AlertIdAsync(harness), CancellationToken.None))!;
        Assert.Equal(("job recovered at 2025-10-20 09:10:05 UTC", null), (record.RemindersEnded, record.NextReminderAt));
        Assert.Null(record.AcknowledgedAt);
    }

    [Fact]
    public async Task A_reminder_that_could_not_be_sent_is_tried_again_on_a_later_check()
    {
        await using var harness = Harness();
        await harness.HandleAsync(TestEvents.Failed());
        _time.Advance(Interval);
        await moto.ResetAsync(); // no verified sender: SES answers MessageRejected
        Assert.Equal(0, await Sender(harness).SendDueAsync(CancellationToken.None));

        await MotoCollection.ResetAndVerifySenderAsync(moto);
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await Sender(harness).SendDueAsync(CancellationToken.None));
        Assert.Equal($"Reminder 1 of 2: {Subject}", Assert.Single(await moto.GetSentEmailsAsync()).Subject);
    }

    [Fact]
    public async Task Two_replicas_sharing_the_database_send_one_reminder()
    {
        using var shared = new TempDirectory();
        await using var a = Harness(shared);
        await using var b = Harness(shared);
        await a.HandleAsync(TestEvents.Failed());
        _time.Advance(Interval);

        var sent = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Sender(i % 2 == 0 ? a : b).SendDueAsync(CancellationToken.None)));

        Assert.Equal(1, sent.Sum());
        Assert.Equal(2, (await moto.GetSentEmailsAsync()).Count);
    }

    [Theory]
    [InlineData("ReminderInterval", "00:00:00")]
    [InlineData("MaxRemindersBeforeEscalation", "-1")]
    [InlineData("LinkLifetime", "00:00:10")]
    [InlineData("CheckInterval", "00:00:00")]
    public async Task A_bad_setting_is_refused_naming_its_key(string key, string value)
    {
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { [$"Notifications:Acknowledgement:{key}"] = value });

        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AcknowledgementOptions>>().Value);

        Assert.Contains($"Notifications:Acknowledgement.{key}", error.Message, StringComparison.Ordinal);
    }

    private static string AckLink(string body) =>
        AckHref().Match(body) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException("no acknowledge link");

    [GeneratedRegex("data-role=\"acknowledge\" href=\"([^\"]+)\"")]
    private static partial Regex AckHref();
}
