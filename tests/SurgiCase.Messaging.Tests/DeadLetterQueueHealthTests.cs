using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class DeadLetterQueueHealthTests(MotoServer moto)
{
    [Fact]
    public async Task Degraded_with_the_count_while_the_DLQ_holds_messages_and_cached_between_probes()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var bed = await MessagingTestBed.StartAsync(
            moto,
            new Dictionary<string, string?> { ["Messaging:DeadLetterHealthCacheSeconds"] = "10" },
            services =>
            {
                services.AddSingleton<TimeProvider>(time);
                services.AddHealthChecks().AddSqsDeadLetterQueueCheck();
            });
        var health = bed.Host.Services.GetRequiredService<HealthCheckService>();
        var deadLetterUrl = (await bed.Sqs.GetQueueUrlAsync(bed.DeadLetterQueueName)).QueueUrl;

        var empty = (await health.CheckHealthAsync()).Entries["dead-letter-queue"];
        Assert.Equal(HealthStatus.Healthy, empty.Status);

        await bed.Sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = deadLetterUrl, MessageBody = "{}" });
        await bed.Sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = deadLetterUrl, MessageBody = "{}" });

        // Within the cache period the probe does not ask SQS again.
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["dead-letter-queue"].Status);

        time.Advance(TimeSpan.FromSeconds(1));
        var report = await health.CheckHealthAsync();
        var degraded = report.Entries["dead-letter-queue"];
        Assert.Equal(HealthStatus.Degraded, report.Status);
        Assert.Equal(HealthStatus.Degraded, degraded.Status);
        Assert.Contains($"{bed.DeadLetterQueueName} holds 2 message(s)", degraded.Description, StringComparison.Ordinal);
        Assert.Equal(2, degraded.Data["messages"]);

        await bed.Sqs.PurgeQueueAsync(deadLetterUrl);
        Assert.Equal(HealthStatus.Degraded, (await health.CheckHealthAsync()).Entries["dead-letter-queue"].Status);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["dead-letter-queue"].Status);
    }

    [Fact]
    public async Task A_DLQ_that_cannot_be_read_is_degraded_not_healthy()
    {
        await using var bed = await MessagingTestBed.StartAsync(
            moto,
            new Dictionary<string, string?> { ["Messaging:DeadLetterQueueName"] = $"missing-{Guid.NewGuid():N}"[..30] },
            services => services.AddHealthChecks().AddSqsDeadLetterQueueCheck(),
            provision: false);

        var entry = (await bed.Host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["dead-letter-queue"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("Could not read the size", entry.Description, StringComparison.Ordinal);
    }
}
