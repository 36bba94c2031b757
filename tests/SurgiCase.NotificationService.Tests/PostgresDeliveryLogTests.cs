using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The PostgreSQL delivery log, and two replicas sharing it while consuming one queue on moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class PostgresDeliveryLogTests(MotoServer moto, PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(TestEvents.At);

    public Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    public Task DisposeAsync() => Task.CompletedTask;

    private PostgresDeliveryLog NewLog() => new(
        Options.Create(new DeliveryLogOptions { PostgresConnectionString = database.ConnectionString }),
        Options.Create(new NotificationOptions { ClaimLease = TimeSpan.FromMinutes(2) }),
        _time);

    private static ClaimRequest Request(string eventId) => new(eventId, MessageTypes.JobFailed, "job-pg", "Job PG", "HttpStatus", TestEvents.At);

    [Fact]
    public async Task Only_one_of_many_concurrent_claims_wins_across_two_log_instances()
    {
        await using var a = NewLog();
        await using var b = NewLog();
        var eventId = Guid.NewGuid().ToString("N");

        var claims = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).TryClaimAsync(Request(eventId), CancellationToken.None)));

        Assert.Single(claims, c => c.Outcome == ClaimOutcome.Claimed);
        Assert.All(claims.Where(c => c.Outcome != ClaimOutcome.Claimed), c => Assert.Equal(ClaimOutcome.InProgress, c.Outcome));
    }

    [Fact]
    public async Task Delivered_failed_and_expired_claims_behave_as_in_sqlite_and_survive_a_restart()
    {
        var delivered = Guid.NewGuid().ToString("N");
        var failed = Guid.NewGuid().ToString("N");
        var dead = Guid.NewGuid().ToString("N");
        await using (var log = NewLog())
        {
            var claim = await log.TryClaimAsync(Request(delivered), CancellationToken.None);
            await log.RecordRenderedAsync(claim.Id, "subject", ["a@surgicase.local", "b@surgicase.local"], "note", "<p>html</p>", "text", CancellationToken.None);
            await log.MarkDeliveredAsync(claim.Id, DeliveryStatus.Sent, DeliveryChannel.Email, "ses-1", null, CancellationToken.None);
            await log.MarkFailedAsync((await log.TryClaimAsync(Request(failed), CancellationToken.None)).Id, "SES ServiceUnavailable", CancellationToken.None);
            await log.TryClaimAsync(Request(dead), CancellationToken.None);
        }

        await using var restarted = NewLog();
        var again = await restarted.TryClaimAsync(Request(delivered), CancellationToken.None);
        Assert.Equal(ClaimOutcome.AlreadyDelivered, again.Outcome);
        var record = await restarted.GetAsync(again.Id, CancellationToken.None);
        Assert.Equal(("sent", "email", "ses-1", 2), (record!.Status, record.Channel, record.SesMessageId, record.Recipients.Count));
        Assert.Equal(TestEvents.At, record.CreatedAt);
        Assert.Equal("<p>html</p>", await restarted.GetHtmlAsync(again.Id, CancellationToken.None));

        Assert.Equal((ClaimOutcome.Claimed, 2), Outcome(await restarted.TryClaimAsync(Request(failed), CancellationToken.None)));
        Assert.Equal(ClaimOutcome.InProgress, (await restarted.TryClaimAsync(Request(dead), CancellationToken.None)).Outcome);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        Assert.Equal((ClaimOutcome.Claimed, 2), Outcome(await restarted.TryClaimAsync(Request(dead), CancellationToken.None)));
    }

    [Fact]
    public async Task Two_replicas_consuming_one_queue_send_exactly_one_email_per_event()
    {
        var queues = ConsumerHost.NewQueues();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Notifications"] = database.ConnectionString,
            ["Messaging:MaxConcurrency"] = "8",
        };
        await using var replicaA = await ConsumerHost.StartAsync(moto, queues, settings);
        await using var replicaB = await ConsumerHost.StartAsync(moto, queues, settings);
        Assert.IsType<PostgresDeliveryLog>(replicaA.Log);
        Assert.NotSame(replicaA.Log, replicaB.Log);
        Assert.True(await TableExistsAsync(), "the schema was not created at start-up");

        // 50 events, each published twice (an outbox publishes at least once): the two replicas race on every event.
        var run = Guid.NewGuid().ToString("N")[..8];
        var events = Enumerable.Range(1, 50)
            .Select(i => TestEvents.Failed() with { JobId = $"job-{run}-{i}", JobName = $"Report {run} #{i}" })
            .ToList();
        var publisher = replicaA.Services.GetRequiredService<IJobEventPublisher>();
        foreach (var jobEvent in events.Concat(events))
        {
            await publisher.PublishAsync(jobEvent);
        }

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && await replicaA.CountsAsync(queues.QueueName) != (0, 0))
        {
            await Task.Delay(200);
        }

        Assert.Equal((0, 0), await replicaA.CountsAsync(queues.QueueName));
        var emails = (await moto.GetSentEmailsAsync()).Where(e => e.Subject.Contains(run, StringComparison.Ordinal)).ToList();
        Assert.Equal(50, emails.Count);
        Assert.Equal(
            events.Select(e => EmailSubject(e.JobName)).Order(StringComparer.Ordinal),
            emails.Select(e => e.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await replicaA.CountsAsync(queues.DeadLetterQueueName)).Visible);

        var rows = (await replicaB.Log.ListAsync(500, CancellationToken.None)).Where(r => r.JobId.StartsWith($"job-{run}-", StringComparison.Ordinal)).ToList();
        Assert.Equal(events.Select(e => e.EventId).Order(), rows.Select(r => r.EventId).Order());
        Assert.All(rows, r => Assert.Equal(("sent", 1), (r.Status, r.Attempts)));
    }

    private static string EmailSubject(string jobName) => $"🚨 CRITICAL: Scheduled Job Failed - {jobName}";

    private static (ClaimOutcome, int) Outcome(ClaimResult claim) => (claim.Outcome, claim.Attempts);

    private async Task<bool> TableExistsAsync()
    {
        await using var db = new NpgsqlConnection(database.ConnectionString);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT to_regclass('public.notifications') IS NOT NULL", db);
        return (bool)(await query.ExecuteScalarAsync())!;
    }
}
