using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.NotificationService.Delivery;

namespace SurgiCase.NotificationService.Tests;

public sealed class SqliteDeliveryLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(TestEvents.At);

    private SqliteDeliveryLog NewLog() =>
        new(Options.Create(new NotificationOptions { DataDirectory = _dir.Path, ClaimLease = TimeSpan.FromMinutes(2) }), _time);

    private static ClaimRequest Request(string eventId) =>
        new(eventId, "job-failed.v1", "job-1", "Job One", "HttpStatus", TestEvents.At);

    [Fact]
    public async Task Only_one_of_many_concurrent_claims_wins_even_across_two_log_instances()
    {
        using var a = NewLog();
        using var b = NewLog();
        var claims = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => (i % 2 == 0 ? a : b).TryClaimAsync(Request("e1"), CancellationToken.None)));
        Assert.Single(claims, c => c.Outcome == ClaimOutcome.Claimed);
        Assert.All(claims.Where(c => c.Outcome != ClaimOutcome.Claimed), c => Assert.Equal(ClaimOutcome.InProgress, c.Outcome));
    }

    [Fact]
    public async Task A_delivered_event_is_reported_as_already_delivered()
    {
        using var log = NewLog();
        var claim = await log.TryClaimAsync(Request("e2"), CancellationToken.None);
        await log.MarkDeliveredAsync(claim.Id, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);

        var again = await log.TryClaimAsync(Request("e2"), CancellationToken.None);
        Assert.Equal(ClaimOutcome.AlreadyDelivered, again.Outcome);
        var record = await log.GetAsync(claim.Id, CancellationToken.None);
        Assert.Equal("sent", record!.Status);
        Assert.Equal("ses-1", record.SesMessageId);
    }

    [Fact]
    public async Task A_claim_whose_owner_died_is_taken_over_after_the_lease()
    {
        using var log = NewLog();
        var first = await log.TryClaimAsync(Request("e3"), CancellationToken.None);
        Assert.Equal(ClaimOutcome.InProgress, (await log.TryClaimAsync(Request("e3"), CancellationToken.None)).Outcome);

        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        var taken = await log.TryClaimAsync(Request("e3"), CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, taken.Outcome);
        Assert.Equal(first.Id, taken.Id);
        Assert.Equal(2, taken.Attempts);
    }

    [Fact]
    public async Task A_failed_delivery_can_be_claimed_again_at_once()
    {
        using var log = NewLog();
        var claim = await log.TryClaimAsync(Request("e4"), CancellationToken.None);
        await log.MarkFailedAsync(claim.Id, "SES ServiceUnavailable", CancellationToken.None);
        var again = await log.TryClaimAsync(Request("e4"), CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, again.Outcome);
        Assert.Equal("SES ServiceUnavailable", (await log.GetAsync(claim.Id, CancellationToken.None))!.LastError);
    }

    [Fact]
    public async Task The_log_survives_a_restart()
    {
        using (var log = NewLog())
        {
            var claim = await log.TryClaimAsync(Request("e5"), CancellationToken.None);
            await log.MarkDeliveredAsync(claim.Id, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-5", null, CancellationToken.None);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        using var reopened = NewLog();
        Assert.Equal(ClaimOutcome.AlreadyDelivered, (await reopened.TryClaimAsync(Request("e5"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task A_failed_schema_creation_leaves_no_connection_open()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return; // open files are read from Linux's /proc (CI and the dev machines run Linux)
        }

        using var log = NewLog();
        await File.WriteAllTextAsync(log.DatabasePath, new string('x', 4096)); // not a database: creating the table fails

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => log.TryClaimAsync(Request("e6"), CancellationToken.None));

        // A disposed connection went back to the pool, which this closes; a leaked one keeps its file open.
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var open = Directory.GetFiles("/proc/self/fd")
            .Select(fd => { try { return new FileInfo(fd).LinkTarget; } catch (IOException) { return null; } })
            .Where(target => target is not null && target.StartsWith(log.DatabasePath, StringComparison.Ordinal));
        Assert.Empty(open);
    }

    public void Dispose() => _dir.Dispose();
}
