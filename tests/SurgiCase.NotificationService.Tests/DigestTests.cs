using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>What a person asked for is never folded; what is folded comes back as one digest when the window closes.</summary>
[Collection(MotoCollection.Name)]
public sealed class DigestTests(MotoServer moto) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestEvents.At);

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private DeliveryHarness Harness(TempDirectory? shared = null) =>
        DeliveryHarness.Create(moto, configure: services => services.AddSingleton<TimeProvider>(_time), sharedDirectory: shared);

    private static JobFailed FailedAt(TimeSpan after, string trigger = Triggers.Schedule, string message = "API returned 500 Internal Server Error") =>
        TestEvents.Failed(errorMessage: message) with { OccurredAt = TestEvents.At + after, Trigger = trigger };

    [Theory]
    [InlineData(Triggers.Manual)]
    [InlineData(Triggers.Test)]
    [InlineData(Triggers.Recovery)]
    public async Task A_failure_a_person_or_a_recovery_started_is_never_folded(string trigger)
    {
        await using var harness = Harness();

        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(10), trigger));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(11), trigger));

        Assert.Equal(3, (await moto.GetSentEmailsAsync()).Count);
    }

    [Fact]
    public async Task Scheduled_repeats_are_folded_then_one_digest_goes_out_when_the_window_closes()
    {
        await using var harness = Harness();
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        for (var i = 1; i <= 7; i++)
        {
            await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5 * i), message: $"API returned 503 on try {i}"));
        }

        var sender = harness.Services.GetRequiredService<DigestSender>();
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));
        Assert.Single(await moto.GetSentEmailsAsync());

        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await sender.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await sender.SendDueAsync(CancellationToken.None));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.Equal("🚨 CRITICAL: Scheduled Job Failed - Weekly Provider Payment Report (failed 7 more times)", emails[1].Subject);
        Assert.Contains(
            "This job failed 7 more times since 2025-10-20 09:00:05 UTC without a separate email, last error: API returned 503 on try 7.",
            emails[1].Body, StringComparison.Ordinal);
        var digest = (await harness.Log.ListAsync(1, CancellationToken.None))[0];
        Assert.Equal(("alert-digest", "sent", "critical"), (digest.MessageType, digest.Status, digest.Severity));

        // The digest closed that window: the next scheduled failure is an alert of its own again.
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(62)));
        Assert.Equal(3, (await moto.GetSentEmailsAsync()).Count);
    }

    [Fact]
    public async Task Two_replicas_checking_at_once_send_one_digest()
    {
        using var shared = new TempDirectory();
        await using var a = Harness(shared);
        await using var b = Harness(shared);
        await a.HandleAsync(FailedAt(TimeSpan.Zero));
        await a.HandleAsync(FailedAt(TimeSpan.FromMinutes(5)));
        await b.HandleAsync(FailedAt(TimeSpan.FromMinutes(10)));
        _time.Advance(TimeSpan.FromHours(2));

        var sent = await Task.WhenAll(
            Enumerable.Range(0, 10).Select(i => (i % 2 == 0 ? a : b).Services.GetRequiredService<DigestSender>().SendDueAsync(CancellationToken.None)));

        Assert.Equal(1, sent.Sum());
        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.EndsWith("(failed 2 more times)", emails[1].Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recovery_reports_the_repeats_and_no_digest_follows()
    {
        await using var harness = Harness();
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5)));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(10), message: "API returned 502"));
        await harness.HandleAsync(TestEvents.Recovered() with { OccurredAt = TestEvents.At + TimeSpan.FromMinutes(15) });

        _time.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await harness.Services.GetRequiredService<DigestSender>().SendDueAsync(CancellationToken.None));

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.StartsWith("✅ RESOLVED", emails[1].Subject, StringComparison.Ordinal);
        Assert.Contains("This job failed 2 more times since 2025-10-20 09:00:05 UTC without a separate email, last error: API returned 502", emails[1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_digest_service_sends_on_its_own_timer()
    {
        await using var harness = Harness();
        await harness.HandleAsync(FailedAt(TimeSpan.Zero));
        await harness.HandleAsync(FailedAt(TimeSpan.FromMinutes(5)));
        var service = ActivatorUtilities.CreateInstance<DigestService>(harness.Services);
        await service.StartAsync(CancellationToken.None);
        try
        {
            // Each advance fires the one-minute timer; the tick runs on the thread pool, so wait for its email.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await moto.GetSentEmailsAsync()).Count < 2 && DateTime.UtcNow < deadline)
            {
                _time.Advance(TimeSpan.FromMinutes(1));
                await Task.Delay(50);
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        var emails = await moto.GetSentEmailsAsync();
        Assert.Equal(2, emails.Count);
        Assert.EndsWith("(failed 1 more time)", emails[1].Subject, StringComparison.Ordinal);
    }
}
