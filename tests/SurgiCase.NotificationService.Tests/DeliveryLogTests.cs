using Dapper;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Feedback;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The delivery log's claims, on each engine. Two logs over one database are two replicas (or one log before and
/// after a restart); event ids are fresh per test, since a PostgreSQL database is shared by a class's tests.
/// </summary>
public abstract partial class DeliveryLogTests : IAsyncLifetime
{
    private readonly List<SqlDatabase> _databases = [];

    protected FakeTimeProvider Time { get; } = new(TestEvents.At);

    /// <summary>A new connection to the test's storage, as another replica or a restarted process opens it.</summary>
    protected abstract SqlDatabase OpenDatabase();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync() => CloseDatabasesAsync();

    private async Task CloseDatabasesAsync()
    {
        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }

        _databases.Clear();
    }

    /// <param name="clock">The replica's own clock; the lease must not depend on it.</param>
    private protected IDeliveryLog NewLog(TimeProvider? clock = null)
    {
        var database = OpenDatabase();
        _databases.Add(database);
        return new SqlDeliveryLog(database, Options.Create(new NotificationOptions { ClaimLease = TimeSpan.FromMinutes(2) }), clock ?? Time);
    }

    /// <summary>The database's clock moves past the event's lease (as if its owner died two minutes ago).</summary>
    private protected async Task ExpireLeaseAsync(string eventId)
    {
        var database = OpenDatabase();
        _databases.Add(database);
        await using var db = await database.OpenAsync(CancellationToken.None);
        await db.ExecuteAsync("UPDATE delivery_log SET lease_expires = lease_expires - 86400 WHERE event_id = @eventId", new { eventId });
    }

    private protected static ClaimRequest Request(string eventId) => new(eventId, MessageTypes.JobFailed, "job-1", "Job One", "HttpStatus", TestEvents.At);

    protected static string NewEventId() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Only_one_of_many_concurrent_claims_wins_even_across_two_log_instances()
    {
        var a = NewLog();
        var b = NewLog();
        var eventId = NewEventId();

        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? a : b).TryClaimAsync(Request(eventId), CancellationToken.None)));

        Assert.Single(claims, c => c.Outcome == ClaimOutcome.Claimed);
        Assert.All(claims.Where(c => c.Outcome != ClaimOutcome.Claimed), c => Assert.Equal(ClaimOutcome.InProgress, c.Outcome));
    }

    [Fact]
    public async Task A_delivered_event_is_reported_as_already_delivered()
    {
        var log = NewLog();
        var eventId = NewEventId();
        var claim = await log.TryClaimAsync(Request(eventId), CancellationToken.None);
        await log.RecordRenderedAsync(claim, "subject", ["a@surgicase.local", "b@surgicase.local"], "note", "<p>html</p>", "text", CancellationToken.None);
        await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);

        var again = await log.TryClaimAsync(Request(eventId), CancellationToken.None);

        Assert.Equal(ClaimOutcome.AlreadyDelivered, again.Outcome);
        var record = await log.GetAsync(claim.Id, CancellationToken.None);
        Assert.Equal(("sent", "email", "ses-1", 2), (record!.Status, record.Channel, record.SesMessageId, record.Recipients.Count));
        Assert.Equal((TestEvents.At, TestEvents.At), (record.CreatedAt, record.SentAt));
        Assert.Equal("<p>html</p>", await log.GetHtmlAsync(claim.Id, CancellationToken.None));
    }

    [Fact]
    public async Task A_claim_whose_owner_died_is_taken_over_after_the_lease()
    {
        var log = NewLog();
        var eventId = NewEventId();
        var first = await log.TryClaimAsync(Request(eventId), CancellationToken.None);
        Assert.Equal(ClaimOutcome.InProgress, (await log.TryClaimAsync(Request(eventId), CancellationToken.None)).Outcome);

        await ExpireLeaseAsync(eventId);
        var taken = await log.TryClaimAsync(Request(eventId), CancellationToken.None);

        Assert.Equal((ClaimOutcome.Claimed, first.Id, 2, false), (taken.Outcome, taken.Id, taken.Attempts, taken.InDoubt));
        Assert.NotEqual(first.Owner, taken.Owner);
    }

    [Fact]
    public async Task A_failed_delivery_can_be_claimed_again_at_once()
    {
        var log = NewLog();
        var eventId = NewEventId();
        var claim = await log.TryClaimAsync(Request(eventId), CancellationToken.None);
        await log.MarkFailedAsync(claim, "SES ServiceUnavailable", CancellationToken.None);

        var again = await log.TryClaimAsync(Request(eventId), CancellationToken.None);

        Assert.Equal((ClaimOutcome.Claimed, 2), (again.Outcome, again.Attempts));
        Assert.Equal("SES ServiceUnavailable", (await log.GetAsync(claim.Id, CancellationToken.None))!.LastError);
    }

    [Fact]
    public async Task Delivered_failed_and_expired_claims_survive_a_restart()
    {
        var (delivered, failed, dead) = (NewEventId(), NewEventId(), NewEventId());
        var before = NewLog();
        var claim = await before.TryClaimAsync(Request(delivered), CancellationToken.None);
        await before.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-5", null, CancellationToken.None);
        await before.MarkFailedAsync(await before.TryClaimAsync(Request(failed), CancellationToken.None), "SES ServiceUnavailable", CancellationToken.None);
        await before.TryClaimAsync(Request(dead), CancellationToken.None);
        await CloseDatabasesAsync();

        var restarted = NewLog();

        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await restarted.TryClaimAsync(Request(delivered), CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.Claimed, (await restarted.TryClaimAsync(Request(failed), CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await restarted.TryClaimAsync(Request(dead), CancellationToken.None)).Outcome);
        await ExpireLeaseAsync(dead);
        Assert.Equal(ClaimOutcome.Claimed, (await restarted.TryClaimAsync(Request(dead), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_stale_owner_cannot_overwrite_what_the_new_owner_records()
    {
        var (stale, current) = (NewLog(), NewLog());
        var eventId = NewEventId();
        var old = await stale.TryClaimAsync(Request(eventId), CancellationToken.None);
        await ExpireLeaseAsync(eventId);
        var taken = await current.TryClaimAsync(Request(eventId), CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, taken.Outcome);

        // The old owner wakes up: nothing it writes lands, whatever it tries.
        Assert.False(await stale.RecordRenderedAsync(old, "stale subject", ["old@surgicase.local"], null, "<p>stale</p>", "stale", CancellationToken.None));
        Assert.False(await stale.MarkInFlightAsync(old, CancellationToken.None));
        Assert.False(await stale.MarkDeliveredAsync(old, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-stale", null, CancellationToken.None));
        Assert.False(await stale.MarkFailedAsync(old, "stale failure", CancellationToken.None));
        Assert.False(await stale.MarkSuppressedAsync(old, "stale note", CancellationToken.None));
        Assert.Equal(ClaimOutcome.InProgress, (await stale.TryClaimAsync(Request(eventId), CancellationToken.None)).Outcome);

        Assert.True(await current.RecordRenderedAsync(taken, "subject", ["ops@surgicase.local"], null, "<p>html</p>", "text", CancellationToken.None));
        Assert.True(await current.MarkDeliveredAsync(taken, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-current", null, CancellationToken.None));
        Assert.False(await stale.MarkFailedAsync(old, "stale failure after delivery", CancellationToken.None));

        var record = (await current.GetAsync(taken.Id, CancellationToken.None))!;
        Assert.Equal(("sent", "ses-current", "subject", null, 2), (record.Status, record.SesMessageId, record.Subject, record.LastError, record.Attempts));
    }

    [Fact]
    public async Task Skewed_app_clocks_neither_take_a_live_claim_nor_keep_a_dead_one()
    {
        var ahead = NewLog(new FakeTimeProvider(TestEvents.At.AddDays(1)));
        var behind = NewLog(new FakeTimeProvider(TestEvents.At.AddDays(-1)));
        var eventId = NewEventId();

        // A replica a day behind claims; one a day ahead (which an app-clock lease would call long dead) must wait.
        var claim = await behind.TryClaimAsync(Request(eventId), CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await ahead.TryClaimAsync(Request(eventId), CancellationToken.None)).Outcome);

        // Once the database's clock has passed the lease, even the replica whose clock is behind takes it over.
        await ExpireLeaseAsync(eventId);
        Assert.Equal(ClaimOutcome.Claimed, (await behind.TryClaimAsync(Request(eventId), CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await ahead.TryClaimAsync(Request(eventId), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Taking_over_an_owner_that_had_started_sending_is_in_doubt()
    {
        var log = NewLog();
        var (sending, notSending) = (NewEventId(), NewEventId());
        var a = await log.TryClaimAsync(Request(sending), CancellationToken.None);
        Assert.True(await log.MarkInFlightAsync(a, CancellationToken.None));
        await log.TryClaimAsync(Request(notSending), CancellationToken.None);
        await ExpireLeaseAsync(sending);
        await ExpireLeaseAsync(notSending);

        var doubtful = await log.TryClaimAsync(Request(sending), CancellationToken.None);
        Assert.Equal((ClaimOutcome.Claimed, true), (doubtful.Outcome, doubtful.InDoubt));
        Assert.False((await log.TryClaimAsync(Request(notSending), CancellationToken.None)).InDoubt);

        // A failure it recorded itself is not in doubt: SES answered, and the answer was no.
        await log.MarkFailedAsync(doubtful, "SES MessageRejected (400)", CancellationToken.None);
        Assert.False((await log.TryClaimAsync(Request(sending), CancellationToken.None)).InDoubt);
    }

    [Fact]
    public async Task An_event_id_logged_with_other_content_is_a_conflict_whatever_the_row_status()
    {
        var log = NewLog();
        var (delivered, failed) = (NewEventId(), NewEventId());
        var claim = await log.TryClaimAsync(Request(delivered) with { ContentHash = "hash-a" }, CancellationToken.None);
        await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);
        await log.MarkFailedAsync(await log.TryClaimAsync(Request(failed) with { ContentHash = "hash-a" }, CancellationToken.None), "SES down", CancellationToken.None);

        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await log.TryClaimAsync(Request(delivered) with { ContentHash = "hash-a" }, CancellationToken.None)).Outcome);
        var conflict = await log.TryClaimAsync(Request(delivered) with { ContentHash = "hash-b" }, CancellationToken.None);
        Assert.Equal((ClaimOutcome.ContentConflict, claim.Id, DeliveryStatus.Sent), (conflict.Outcome, conflict.Id, conflict.Status));

        // A failed row is not re-opened by other content: only the original's redelivery retries it.
        Assert.Equal(ClaimOutcome.ContentConflict, (await log.TryClaimAsync(Request(failed) with { ContentHash = "hash-b" }, CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.Claimed, (await log.TryClaimAsync(Request(failed) with { ContentHash = "hash-a" }, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_row_without_a_content_hash_adopts_the_first_one_offered()
    {
        var log = NewLog();
        var eventId = NewEventId();
        var claim = await log.TryClaimAsync(Request(eventId), CancellationToken.None); // as a version before the column wrote it
        await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);

        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await log.TryClaimAsync(Request(eventId) with { ContentHash = "hash-a" }, CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await log.TryClaimAsync(Request(eventId) with { ContentHash = "hash-a" }, CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.ContentConflict, (await log.TryClaimAsync(Request(eventId) with { ContentHash = "hash-b" }, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task The_retention_sweep_empties_old_bodies_and_deletes_older_rows_but_never_a_row_being_sent()
    {
        var log = NewLog();
        var (ancient, old, young, stuck) = (NewEventId(), NewEventId(), NewEventId(), NewEventId());
        await SendAsync(log, ancient);
        await log.TryClaimAsync(Request(stuck), CancellationToken.None); // sending, and stays so
        Time.Advance(TimeSpan.FromDays(350));
        await SendAsync(log, old);
        Time.Advance(TimeSpan.FromDays(15.5));
        await SendAsync(log, young);
        Time.Advance(TimeSpan.FromDays(0.5)); // 366 days after the first

        var database = OpenDatabase();
        await using (database)
        {
            var step = new DeliveryLogRetentionStep(database, Options.Create(new NotificationOptions
            {
                BodyRetention = TimeSpan.FromDays(14), RowRetention = TimeSpan.FromDays(365),
            }));
            await step.SweepAsync(Time.GetUtcNow(), CancellationToken.None);

            var rows = (await log.ListAsync(1000, CancellationToken.None)).ToDictionary(r => r.EventId);
            Assert.False(rows.ContainsKey(ancient));
            Assert.True(rows.ContainsKey(stuck));
            Assert.Equal("sent", rows[old].Status);
            Assert.Null(await log.GetHtmlAsync(rows[old].Id, CancellationToken.None));
            Assert.Equal("<p>alert</p>", await log.GetHtmlAsync(rows[young].Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task The_retention_sweep_deletes_old_feedback_but_keeps_an_uncleared_permanent_bounce_flagged()
    {
        var database = OpenDatabase();
        await using (database)
        {
            var feedback = new DeliveryFeedbackLog(database, Time);
            var suffix = Guid.NewGuid().ToString("N")[..8];
            var (flagged, cleared, delivered, young) = ($"flagged-{suffix}@example.com", $"cleared-{suffix}@example.com",
                $"delivered-{suffix}@example.com", $"young-{suffix}@example.com");
            var (oldMessage, youngMessage) = ($"old-{suffix}", $"young-{suffix}");
            await feedback.RecordAsync(new SesFeedback(oldMessage, "Bounce", Time.GetUtcNow(),
            [
                new RecipientFeedback(flagged, FeedbackOutcome.Bounced, Permanent: true, "550 no such user"),
                new RecipientFeedback(cleared, FeedbackOutcome.Bounced, Permanent: true, "550 no such user"),
            ]), CancellationToken.None);
            await feedback.RecordAsync(new SesFeedback(oldMessage, "Delivery", Time.GetUtcNow(),
                [new RecipientFeedback(delivered, FeedbackOutcome.Delivered, Permanent: false, null)]), CancellationToken.None);
            await feedback.ClearAsync(cleared, "operator", CancellationToken.None);
            Time.Advance(TimeSpan.FromDays(366));
            await feedback.RecordAsync(new SesFeedback(youngMessage, "Delivery", Time.GetUtcNow(),
                [new RecipientFeedback(young, FeedbackOutcome.Delivered, Permanent: false, null)]), CancellationToken.None);

            var step = new DeliveryLogRetentionStep(database, Options.Create(new NotificationOptions
            {
                BodyRetention = TimeSpan.FromDays(14), RowRetention = TimeSpan.FromDays(365),
            }));
            await step.SweepAsync(Time.GetUtcNow(), CancellationToken.None);

            var kept = await feedback.ForMessagesAsync([oldMessage, youngMessage], CancellationToken.None);
            Assert.Equal([flagged], kept[oldMessage].Select(r => r.Address));
            Assert.Equal([young], kept[youngMessage].Select(r => r.Address));
            Assert.Contains(await feedback.FindFlaggedAsync(CancellationToken.None), b => b.Address == flagged);
        }
    }

    [Fact]
    public async Task A_dead_letter_replay_sees_the_delivery_status_of_each_event_it_replays()
    {
        var log = NewLog();
        var (sent, sending, unknown) = (NewEventId(), NewEventId(), NewEventId());
        await SendAsync(log, sent);
        await log.TryClaimAsync(Request(sending), CancellationToken.None);

        var database = OpenDatabase();
        await using (database)
        {
            var statuses = await new DeadLetterReplayLog(database).DeliveryStatusesAsync([sent, sending, unknown, sent], CancellationToken.None);

            Assert.Equal("sent", statuses[sent]);
            Assert.Equal("sending", statuses[sending]);
            Assert.False(statuses.ContainsKey(unknown));
        }
    }

    private static async Task SendAsync(IDeliveryLog log, string eventId)
    {
        var claim = await log.TryClaimAsync(Request(eventId), CancellationToken.None);
        await log.RecordRenderedAsync(claim, "subject", ["ops@surgicase.local"], null, "<p>alert</p>", "alert", CancellationToken.None);
        await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);
    }
}
