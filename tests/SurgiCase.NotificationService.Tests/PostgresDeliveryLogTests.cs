using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>The delivery log in PostgreSQL, and two replicas sharing it while consuming one queue on moto.</summary>
[Collection(MotoCollection.Name)]
public sealed class PostgresDeliveryLogTests(MotoServer moto, PostgresTestDatabase database) : DeliveryLogTests, IClassFixture<PostgresTestDatabase>
{
    protected override SqlDatabase OpenDatabase() => new SurgiCase.Storage.PostgresDatabase(database.Notifications, [DeliveryLogSchema.Table]);

    public override Task InitializeAsync() => MotoCollection.ResetAndVerifySenderAsync(moto);

    [Fact]
    public async Task Two_replicas_consuming_one_queue_send_exactly_one_email_per_event()
    {
        var queues = ConsumerHost.NewQueues();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Notifications"] = database.Notifications,
            ["Messaging:MaxConcurrency"] = "8",
        };
        // Each replica has its own log collector, so the test can tell that both took part.
        await using var replicaA = await ConsumerHost.StartAsync(moto, queues, settings, services => services.AddFakeLogging());
        await using var replicaB = await ConsumerHost.StartAsync(moto, queues, settings, services => services.AddFakeLogging());
        Assert.IsType<SurgiCase.Storage.PostgresDatabase>(replicaA.Services.GetRequiredService<SqlDatabase>());
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

        // Both replicas sent some of the 50: the race on each event's claim was real, not one replica doing it all.
        var sentBy = new[] { replicaA, replicaB }.Select(r => r.Services.GetFakeLogCollector().GetSnapshot()
            .Count(l => l.Message.StartsWith("✅ Job failure notification sent successfully for", StringComparison.Ordinal))).ToList();
        Assert.True(sentBy.All(n => n > 0), $"emails sent per replica: {string.Join(", ", sentBy)}");
        Assert.Equal(50, sentBy.Sum());
    }

    private static string EmailSubject(string jobName) => $"🚨 CRITICAL: Scheduled Job Failed - {jobName}";

    private async Task<bool> TableExistsAsync()
    {
        await using var db = new NpgsqlConnection(database.Notifications);
        await db.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT to_regclass('notifications.delivery_log') IS NOT NULL", db);
        return (bool)(await query.ExecuteScalarAsync())!;
    }
}
