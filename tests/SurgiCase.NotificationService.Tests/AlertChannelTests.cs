using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// A new channel is one <see cref="IAlertChannel"/> plus one registration, and its own roles decide when the pipeline
/// uses it: beside the email on its own delivery-log row, or as the fallback when email fails (issue 20.1). Reminders
/// are rendered by the email renderer, every string escaped (issue 20.5).
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class AlertChannelTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private DeliveryHarness Harness(IAlertChannel channel, TimeProvider? time = null) =>
        DeliveryHarness.Create(moto, configure: services =>
        {
            services.AddSingleton(channel);
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        });

    [Fact]
    public async Task A_parallel_channel_gets_the_alert_beside_the_email_on_its_own_row_once()
    {
        var pager = new PagerChannel(ChannelRoles.Parallel);
        await using var harness = Harness(pager);
        var failed = TestEvents.Failed();

        await harness.HandleAsync(failed);
        await harness.HandleAsync(failed, receiveCount: 2);

        Assert.Single(await moto.GetSentEmailsAsync());
        var message = Assert.Single(pager.Messages);
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report", message.Email.Subject);
        Assert.Null(message.EarlierFailure);
        var rows = await harness.Log.ListAsync(10, CancellationToken.None);
        Assert.Equal(
            [(failed.EventId + ":pager", "pager", "sent"), (failed.EventId, "email", "sent")],
            rows.Select(r => (r.EventId, r.Channel, r.Status)).ToList());
    }

    [Fact]
    public async Task A_fallback_channel_takes_the_alert_only_when_email_fails_and_says_why()
    {
        var pager = new PagerChannel(ChannelRoles.Fallback);
        await using var harness = Harness(pager);
        await harness.HandleAsync(TestEvents.Failed());
        Assert.Empty(pager.Messages);

        await moto.ResetAsync(); // no verified sender: SES answers MessageRejected
        var manualRun = TestEvents.Failed(eventId: "evt-manual") with { Trigger = SurgiCase.Messaging.Contracts.Triggers.Manual }; // not folded into the first
        await Assert.ThrowsAsync<SurgiCase.Messaging.DeadLetterException>(() => harness.HandleAsync(manualRun));

        Assert.StartsWith("SES MessageRejected", Assert.Single(pager.Messages).EarlierFailure, StringComparison.Ordinal);
        var row = (await harness.Log.ListAsync(1, CancellationToken.None)).Single();
        Assert.Equal(("pager", "fallback-sent"), (row.Channel, row.Status));
    }

    [Fact]
    public async Task A_failing_fallback_channel_is_named_in_the_error()
    {
        await using var harness = Harness(new PagerChannel(ChannelRoles.Fallback, fails: true));
        await moto.ResetAsync();

        await Assert.ThrowsAsync<AlertNotEmailedException>(() => harness.HandleAsync(TestEvents.Failed()));

        var row = (await harness.Log.ListAsync(1, CancellationToken.None)).Single();
        Assert.Equal(("failed", "SES MessageRejected (400); pager failed: down"), (row.Status, row.LastError));
    }

    [Fact]
    public async Task A_reminder_is_rendered_by_the_email_renderer_with_every_string_escaped()
    {
        var time = new FakeTimeProvider(TestEvents.At);
        await using var harness = Harness(new PagerChannel(ChannelRoles.None), time);
        await harness.HandleAsync(TestEvents.Failed(errorMessage: "<script>alert(1)</script> & more") with { JobName = "Report <b>bold</b>" });

        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(1, await harness.Services.GetRequiredService<ReminderSender>().SendDueAsync(CancellationToken.None));

        var reminder = (await moto.GetSentEmailsAsync())[1];
        Assert.Equal("Reminder 1 of 2: 🚨 CRITICAL: Scheduled Job Failed - Report <b>bold</b>", reminder.Subject);
        Assert.DoesNotContain("<b>", reminder.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", reminder.Body, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more", reminder.Body, StringComparison.Ordinal);
        Assert.Contains("Reminder 1 of 2: critical alert not acknowledged", reminder.Body, StringComparison.Ordinal);
        Assert.Contains(ReminderRenderer.FirstEmailSectionTitle, reminder.Body, StringComparison.Ordinal);
        Assert.Equal(1, CountOf(reminder.Body, "<body"));
        Assert.Equal(1, CountOf(reminder.Body, "data-role=\"acknowledge\""));
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    /// <summary>A channel as a new one would be written: it only sends, and says its roles.</summary>
    private sealed class PagerChannel(ChannelRoles roles, bool fails = false) : IAlertChannel
    {
        public List<ChannelMessage> Messages { get; } = [];

        public string Name => "pager";

        public ChannelRoles RolesFor(string severity) => roles;

        public Task<ChannelOutcome> SendAsync(ChannelMessage message, CancellationToken cancellationToken)
        {
            lock (Messages)
            {
                Messages.Add(message);
            }

            return Task.FromResult(fails ? ChannelOutcome.Failed("pager failed: down") : ChannelOutcome.Sent("page-1"));
        }
    }
}
