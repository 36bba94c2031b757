using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace SurgiCase.Chaos.Tests;

/// <summary>
/// Chaos (c): NotificationService's SQLite delivery log made read-only while events arrive. No claim, no email: the
/// consumer stops receiving at the first refused write (the events wait in the queue, their receives unspent) and the
/// authenticated <c>/health</c> names the delivery log as unhealthy with the database's error. Once the file takes
/// writes again (the consumer's write probe, backing off up to 30 s, notices) every event is emailed: none in the DLQ.
/// </summary>
/// <remarks>
/// Tests run as root, which ignores file modes, so "read-only" is the immutable attribute (<c>chattr +i</c>, which
/// binds root too on ext4) on the database file and its write-ahead log, and on their folder so SQLite cannot start a
/// new journal beside them. The shared-memory index (<c>-shm</c>) is left writable: it is mapped into the process,
/// and a write fault on an immutable mapping would kill the service with SIGBUS rather than show a read-only log.
/// </remarks>
[Collection(SingleNodeChaosCollection.Name)]
public sealed class ReadOnlyDeliveryLogTests(SingleNodeChaosApp app, ITestOutputHelper output)
{
    private const string Service = "notification-service";

    [Fact]
    public async Task A_read_only_delivery_log_holds_alerts_back_in_the_queue_says_so_in_health_and_dead_letters_none()
    {
        var scale = ChaosScale.Current;
        var folder = Path.Combine(app.DataDirectory, "notifications");
        var warmUp = new ChaosEvents("w");
        await warmUp.PublishAsync(app.LocalAwsUrl, 1, 1);
        await WaitAsync(async () => warmUp.EmailsByRunId(await app.SentEmailsAsync()).Count == 1, TimeSpan.FromSeconds(60), "the warm-up alert was not emailed");
        var dlqBefore = await app.QueueCountAsync(ChaosEvents.DeadLetterQueueName);

        var events = new ChaosEvents("c");
        var count = Math.Max(10, scale.Events / 10);
        var readOnlyFor = scale == ChaosScale.Full ? TimeSpan.FromSeconds(60) : TimeSpan.FromSeconds(15);
        var locked = new[] { folder, Path.Combine(folder, "notifications.db"), Path.Combine(folder, "notifications.db-wal") }
            .Where(p => File.Exists(p) || Directory.Exists(p)).ToList();
        var clock = Stopwatch.StartNew();
        await ChattrAsync("+i", locked);
        JsonObject? unhealthy = null;
        int emailedWhileReadOnly;
        try
        {
            var runIds = await events.PublishAsync(app.LocalAwsUrl, count, jobs: 5);
            await WaitAsync(async () => (unhealthy = await DeliveryLogCheckAsync()) is { } c && c["status"]?.GetValue<string>() == "Unhealthy",
                TimeSpan.FromSeconds(30), "/health did not name the delivery log");
            output.WriteLine($"{count} events queued; /health said after {clock.Elapsed.TotalSeconds:0.0} s: {unhealthy!.ToJsonString()}");
            while (clock.Elapsed < readOnlyFor)
            {
                await Task.Delay(250);
            }

            emailedWhileReadOnly = events.EmailsByRunId(await app.SentEmailsAsync()).Count;
        }
        finally
        {
            await ChattrAsync("-i", locked);
        }

        var writableAt = clock.Elapsed;
        output.WriteLine($"read-only for {writableAt.TotalSeconds:0.0} s: {emailedWhileReadOnly} emails meanwhile; " +
            $"overall status {(await app.HealthAsync(Service))["status"]}");
        Assert.Equal(0, emailedWhileReadOnly);
        Assert.Contains("delivery log cannot be written", unhealthy!["description"]!.GetValue<string>(), StringComparison.Ordinal);

        // The probe backs off 1 s doubling to 30 s, so receiving resumes up to 30 s after the file is writable.
        int emailed = 0, deadLettered = 0;
        await WaitAsync(async () =>
        {
            emailed = events.EmailsByRunId(await app.SentEmailsAsync()).Count;
            deadLettered = await app.QueueCountAsync(ChaosEvents.DeadLetterQueueName) - dlqBefore;
            return emailed + deadLettered >= count && await app.QueueCountAsync(ChaosEvents.QueueName) == 0;
        }, TimeSpan.FromMinutes(2), "the held-back alerts were not delivered");
        var check = await DeliveryLogCheckAsync();
        output.WriteLine($"writable again: {emailed} emailed, {deadLettered} dead-lettered, {count - emailed - deadLettered} lost, " +
            $"{(clock.Elapsed - writableAt).TotalSeconds:0.0} s after; delivery-log check {check?["status"]}");
        Assert.Equal(0, deadLettered);
        Assert.Equal(count, emailed);
        Assert.Equal("Healthy", check?["status"]?.GetValue<string>());
    }

    private async Task<JsonObject?> DeliveryLogCheckAsync() => (await app.HealthAsync(Service))["checks"]?["delivery-log"] as JsonObject;

    private static async Task ChattrAsync(string flag, IEnumerable<string> paths)
    {
        using var chattr = Process.Start(new ProcessStartInfo("chattr", [flag, .. paths]) { RedirectStandardError = true })!;
        var error = await chattr.StandardError.ReadToEndAsync();
        await chattr.WaitForExitAsync();
        Assert.True(chattr.ExitCode == 0, $"chattr {flag} failed (needs root and a file system with the immutable attribute): {error}");
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(250);
        }
    }
}
