using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

[Collection(MotoCollection.Name)]
public sealed class AlertStormTests(MotoServer moto) : IAsyncLifetime
{
    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private static JobFailed FailedAt(TimeSpan after, string errorKind = ErrorKinds.HttpStatus) =>
        TestEvents.Failed(errorKind: errorKind) with { OccurredAt = TestEvents.At + after };

    [Fact]
    public async Task Repeats_inside_the_window_are_folded_into_one_email_then_summarised()
    {
        await using var harness = DeliveryHarness.Create(moto);

        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        for (var i = 1; i <= 5; i++)
        {
            await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(10 * i)));
        }

        Assert.Single(await moto.GetSentEmailsAsync());
        Assert.Equal(5, (await harness.Log.ListAsync(10, CancellationToken.None)).Count(r => r.Status == "suppressed"));

        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(61)));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Contains("This job failed 5 more times since 2025-10-20 09:00:05 UTC", emails[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_different_error_kind_is_not_suppressed()
    {
        await using var harness = DeliveryHarness.Create(moto);
        await harness.HandleAsync(FailedAt(TimeSpan.Zero, ErrorKinds.HttpStatus));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5), ErrorKinds.Timeout));
        Assert.Equal(2, (await moto.GetSentEmailsAsync()).Count);
    }

    [Fact]
    public async Task A_recovery_is_always_sent_and_restarts_the_window()
    {
        await using var harness = DeliveryHarness.Create(moto);
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5)));
        await harness.HandleAsync(TestEvents.Recovered() with { OccurredAt = TestEvents.At + TimeSpan.FromMinutes(10) });
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(15)));

        var subjects = (await moto.GetSentEmailsAsync()).Select(e => e.Subject).ToList();
        Assert.Equal(3, subjects.Count);
        Assert.StartsWith("✅ RESOLVED", subjects[1], StringComparison.Ordinal);
        Assert.StartsWith("🚨 CRITICAL", subjects[2], StringComparison.Ordinal);
        Assert.Contains("1 more time since", (await moto.GetSentEmailsAsync())[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_automatic_recovery_run_is_never_suppressed()
    {
        await using var harness = DeliveryHarness.Create(moto);
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5)) with { Trigger = Triggers.Recovery, RunId = "recovery-run" });

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Contains("recovery-run", emails[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_zero_window_turns_suppression_off()
    {
        await using var harness = DeliveryHarness.Create(moto, new Dictionary<string, string?> { ["Notifications:StormWindow"] = "00:00:00" });
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(1)));
        Assert.Equal(2, (await moto.GetSentEmailsAsync()).Count);
    }
}
