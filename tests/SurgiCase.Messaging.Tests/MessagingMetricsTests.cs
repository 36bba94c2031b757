using System.Diagnostics.Metrics;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using SurgiCase.Testing;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

[Collection(MotoCollection.Name)]
public sealed class MessagingMetricsTests(MotoServer moto)
{
    [Fact]
    public async Task Published_consumed_by_outcome_and_queue_age_are_measured()
    {
        await using var bed = await MessagingTestBed.StartAsync(moto);
        var meters = bed.Host.Services.GetRequiredService<IMeterFactory>();
        using var published = new MetricCollector<long>(meters, MessagingDiagnostics.MeterName, "surgicase.messaging.messages.published");
        using var consumed = new MetricCollector<long>(meters, MessagingDiagnostics.MeterName, "surgicase.messaging.messages.consumed");
        using var queueAge = new MetricCollector<double>(meters, MessagingDiagnostics.MeterName, "surgicase.messaging.queue.age");
        var queueUrl = (await bed.Sqs.GetQueueUrlAsync(bed.QueueName)).QueueUrl;

        await bed.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = "not json",
            MessageAttributes = new() { ["message-type"] = new() { DataType = "String", StringValue = "job-failed.v1" } },
        });
        await bed.Publisher.PublishAsync(SampleEvents.SimpleFailure());
        await bed.Probe.NextAsync();
        await consumed.WaitForMeasurementsAsync(2, TimeSpan.FromSeconds(10));

        var publishedMeasurement = Assert.Single(published.GetMeasurementSnapshot());
        Assert.Equal("job-failed.v1", publishedMeasurement.Tags["surgicase.message_type"]);
        var outcomes = consumed.GetMeasurementSnapshot().Select(m => m.Tags["surgicase.outcome"]?.ToString() ?? "").Order().ToArray();
        Assert.Equal(new[] { "poison", "succeeded" }, outcomes);
        Assert.Equal(2, queueAge.GetMeasurementSnapshot().Count);
        Assert.All(queueAge.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 60));
    }
}
