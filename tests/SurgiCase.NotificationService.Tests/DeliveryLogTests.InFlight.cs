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

    [Fact]
    public async Task A_claim_taken_in_flight_keeps_its_rendered_alert_with_the_outcome_and_a_takeover_of_it_is_in_doubt()
    {
        var (stale, current) = (NewLog(), NewLog());
        var (delivered, died) = (NewEventId(), NewEventId());
        var claim = await current.TryClaimAsync(Request(delivered) with { InFlight = true }, CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, true), (claim.Outcome, claim.InFlight));

        // No write before the send; the delivered mark brings the rendered alert, fenced like every update.
        var rendered = new RenderedRecord("subject", ["ops@surgicase.local"], "a note", "<p>html</p>", "text");
        Assert.False(await stale.MarkDeliveredAsync(claim with { Owner = "someone else" }, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-x", null, rendered, CancellationToken.None));
        Assert.True(await current.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, rendered, CancellationToken.None));
        var record = (await current.GetAsync(claim.Id, CancellationToken.None))!;
        Assert.Equal(("sent", "subject", "ops@surgicase.local", "a note"), (record.Status, record.Subject, string.Join(',', record.Recipients), record.Note));
        Assert.Equal("<p>html</p>", await current.GetHtmlAsync(claim.Id, CancellationToken.None));

        // Its owner died before it recorded anything: the takeover cannot know whether a channel was called, and starts
        // out of flight (its own send is preceded by the in-flight write).
        var first = await stale.TryClaimAsync(Request(died) with { InFlight = true }, CancellationToken.None);
        await ExpireLeaseAsync(died);
        var takeover = await current.TryClaimAsync(Request(died) with { InFlight = true }, CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, first.Id, true, false), (takeover.Outcome, takeover.Id, takeover.InDoubt, takeover.InFlight));

        // A failure keeps the rendered alert too, so the preview works.
        Assert.True(await current.MarkFailedAsync(takeover, "SES down", rendered with { Html = "<p>failed</p>" }, CancellationToken.None));
        Assert.Equal("<p>failed</p>", await current.GetHtmlAsync(takeover.Id, CancellationToken.None));
    }
}
