using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SurgiCase.Messaging;
using SurgiCase.NotificationService.Storage;
using SurgiCase.Storage;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// A delivery log that cannot be written stops every alert (no claim, no email): the message is kept for a retry and
/// the "delivery-log" health check names the database error until an event gets through the log again. Meanwhile the
/// consumer's receive gate is closed, as long as the write probe is refused too, and opens at the first probe that writes.
/// </summary>
[Collection(MotoCollection.Name)]
public sealed class DeliveryLogHealthTests(MotoServer moto)
{
    [Fact]
    public async Task A_delivery_log_that_refuses_writes_keeps_the_message_and_turns_the_check_unhealthy_until_a_write_succeeds()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        await using var harness = DeliveryHarness.Create(moto);
        var health = harness.Services.GetRequiredService<DeliveryLogHealth>();
        await harness.HandleAsync(TestEvents.Failed());
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        // The log's table out of reach stands in for a read-only file (the chaos test does that to a real file).
        var file = ((SqliteDatabase)harness.Services.GetRequiredService<SqlDatabase>()).FilePath;
        await ExecuteAsync(file, "ALTER TABLE delivery_log RENAME TO delivery_log_away");
        var refused = TestEvents.Failed(eventId: "refused-by-the-log");
        await Assert.ThrowsAsync<SqliteException>(() => harness.HandleAsync(refused));

        var unhealthy = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, unhealthy.Status);
        Assert.Contains("delivery log cannot be written", unhealthy.Description, StringComparison.Ordinal);
        Assert.Equal("refused-by-the-log", unhealthy.Data["eventId"]);
        Assert.Contains("delivery_log", (string)unhealthy.Data["error"], StringComparison.Ordinal);

        await ExecuteAsync(file, "ALTER TABLE delivery_log_away RENAME TO delivery_log");
        await harness.HandleAsync(refused);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task The_gate_closes_at_a_refused_write_and_reopens_when_the_probe_can_write()
    {
        await MotoCollection.ResetAndVerifySenderAsync(moto);
        await using var harness = DeliveryHarness.Create(moto);
        var gate = harness.Services.GetRequiredService<IReceiveGate>();
        var health = harness.Services.GetRequiredService<DeliveryLogHealth>();
        Assert.IsType<DeliveryLogReceiveGate>(gate);
        await harness.HandleAsync(TestEvents.Failed());
        Assert.True((await gate.CheckAsync(CancellationToken.None)).IsOpen);

        // Both tables out of reach stand in for a read-only file (the chaos test does that to a real file).
        var file = ((SqliteDatabase)harness.Services.GetRequiredService<SqlDatabase>()).FilePath;
        await ExecuteAsync(file, "ALTER TABLE delivery_log RENAME TO delivery_log_away; ALTER TABLE delivery_log_probe RENAME TO delivery_log_probe_away");
        await Assert.ThrowsAsync<SqliteException>(() => harness.HandleAsync(TestEvents.Failed(eventId: "refused-by-the-log")));

        var closed = await gate.CheckAsync(CancellationToken.None);
        Assert.False(closed.IsOpen);
        Assert.Contains("delivery log cannot be written", closed.Reason, StringComparison.Ordinal);
        Assert.Contains("delivery_log_probe", closed.Reason, StringComparison.Ordinal);
        Assert.False((await gate.CheckAsync(CancellationToken.None)).IsOpen);
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        await ExecuteAsync(file, "ALTER TABLE delivery_log_away RENAME TO delivery_log; ALTER TABLE delivery_log_probe_away RENAME TO delivery_log_probe");
        Assert.True((await gate.CheckAsync(CancellationToken.None)).IsOpen);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        await using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("SELECT probes FROM delivery_log_probe WHERE id = 1"));
    }

    private static async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        await connection.ExecuteAsync(sql);
    }
}
