using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The delivery log's claims, on each engine. Two logs over one database are two replicas (or one log before and
/// after a restart); event ids are fresh per test, since a PostgreSQL database is shared by a class's tests.
/// </summary>
public abstract class DeliveryLogTests : IAsyncLifetime
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

    private protected SqlDeliveryLog NewLog()
    {
        var database = OpenDatabase();
        _databases.Add(database);
        return new SqlDeliveryLog(database, Options.Create(new NotificationOptions { ClaimLease = TimeSpan.FromMinutes(2) }), Time);
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
        await log.RecordRenderedAsync(claim.Id, "subject", ["a@surgicase.local", "b@surgicase.local"], "note", "<p>html</p>", "text", CancellationToken.None);
        await log.MarkDeliveredAsync(claim.Id, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);

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

        Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var taken = await log.TryClaimAsync(Request(eventId), CancellationToken.None);

        Assert.Equal((ClaimOutcome.Claimed, first.Id, 2), (taken.Outcome, taken.Id, taken.Attempts));
    }

    [Fact]
    public async Task A_failed_delivery_can_be_claimed_again_at_once()
    {
        var log = NewLog();
        var eventId = NewEventId();
        var claim = await log.TryClaimAsync(Request(eventId), CancellationToken.None);
        await log.MarkFailedAsync(claim.Id, "SES ServiceUnavailable", CancellationToken.None);

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
        await before.MarkDeliveredAsync(claim.Id, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-5", null, CancellationToken.None);
        await before.MarkFailedAsync((await before.TryClaimAsync(Request(failed), CancellationToken.None)).Id, "SES ServiceUnavailable", CancellationToken.None);
        await before.TryClaimAsync(Request(dead), CancellationToken.None);
        await CloseDatabasesAsync();

        var restarted = NewLog();

        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await restarted.TryClaimAsync(Request(delivered), CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.Claimed, (await restarted.TryClaimAsync(Request(failed), CancellationToken.None)).Outcome);
        Assert.Equal(ClaimOutcome.InProgress, (await restarted.TryClaimAsync(Request(dead), CancellationToken.None)).Outcome);
        Time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal(ClaimOutcome.Claimed, (await restarted.TryClaimAsync(Request(dead), CancellationToken.None)).Outcome);
    }
}
