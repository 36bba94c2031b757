using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The write that keeps the rendered alert and marks its claim in flight at once (issue 19.7: one commit less).</summary>
public abstract partial class DeliveryLogTests
{
    [Fact]
    public async Task The_rendered_alert_and_its_in_flight_mark_are_one_fenced_write()
    {
        var (stale, current) = (NewLog(), NewLog());
        var eventId = NewEventId();
        var old = await stale.TryClaimAsync(Request(eventId), CancellationToken.None);
        await ExpireLeaseAsync(eventId);
        var taken = await current.TryClaimAsync(Request(eventId), CancellationToken.None);
        Assert.False(taken.InDoubt);

        // Fenced like every other update: the owner whose claim was taken over writes nothing.
        Assert.False(await stale.RecordRenderedInFlightAsync(old, "stale subject", ["old@surgicase.local"], null, "<p>stale</p>", "stale", CancellationToken.None));
        Assert.True(await current.RecordRenderedInFlightAsync(taken, "subject", ["ops@surgicase.local"], "a note", "<p>html</p>", "text", CancellationToken.None));
        var record = (await current.GetAsync(taken.Id, CancellationToken.None))!;
        Assert.Equal(("subject", "ops@surgicase.local", "a note"), (record.Subject, string.Join(',', record.Recipients), record.Note));
        Assert.Equal("<p>html</p>", await current.GetHtmlAsync(taken.Id, CancellationToken.None));

        // And it is in flight: should its owner die now, a takeover cannot know whether the channel took the alert.
        await ExpireLeaseAsync(eventId);
        var takeover = await stale.TryClaimAsync(Request(eventId), CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, true), (takeover.Outcome, takeover.InDoubt));
    }
}
