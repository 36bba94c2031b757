using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Testing;

namespace SurgiCase.Chaos.Tests;

/// <summary>
/// Failure events put straight onto the queue NotificationService consumes (what the scheduler's outbox publishes,
/// without running hundreds of jobs), each with its own event id and run id, and the emails counted back per run id.
/// Trigger "manual": storm suppression never folds what a person started, so every event owes exactly one email.
/// </summary>
public sealed partial class ChaosEvents(string scenario)
{
    public const string QueueName = "surgicase-job-events";
    public const string DeadLetterQueueName = "surgicase-job-events-dlq";

    /// <summary>Run ids of this batch: a scenario letter and a random tag, so earlier scenarios' emails never count.</summary>
    public string RunIdPrefix { get; } = $"chaos-{scenario}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}-";

    public static JobFailed Failure(string runId, string jobId, DateTimeOffset occurredAt) => new(
        EventId: Guid.NewGuid().ToString("N"),
        OccurredAt: occurredAt,
        JobId: jobId,
        JobName: "Chaos " + jobId,
        RunId: runId,
        Host: "chaos-test",
        Trigger: Triggers.Manual,
        Attempt: 1,
        ErrorKind: ErrorKinds.HttpStatus,
        ErrorMessage: "HTTP 500 from the report API (chaos test)");

    /// <summary><paramref name="count"/> failures spread round-robin over <paramref name="jobs"/> jobs; returns their run ids.</summary>
    public async Task<IReadOnlyList<string>> PublishAsync(Uri motoUrl, int count, int jobs)
    {
        using var sqs = Sqs(motoUrl);
        var queueUrl = (await sqs.GetQueueUrlAsync(QueueName)).QueueUrl;
        var now = DateTimeOffset.UtcNow;
        var runIds = new List<string>(count);
        foreach (var chunk in Enumerable.Range(0, count).Chunk(10))
        {
            var entries = chunk.Select(i =>
            {
                var runId = RunIdPrefix + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
                runIds.Add(runId);
                var (messageType, body) = JobEventSerializer.Serialize(Failure(runId, $"chaos-job-{i % jobs:D3}", now.AddMilliseconds(i)));
                return new SendMessageBatchRequestEntry
                {
                    Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    MessageBody = body,
                    MessageAttributes = new() { [MessageTypes.AttributeName] = new MessageAttributeValue { DataType = "String", StringValue = messageType } },
                };
            }).ToList();
            var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest { QueueUrl = queueUrl, Entries = entries });
            if (response.Failed is { Count: > 0 } failed)
            {
                throw new InvalidOperationException($"moto refused {failed.Count} of a batch: {failed[0].Message}");
            }
        }

        return runIds;
    }

    /// <summary>Emails of this batch, by run id (an email names its run in its body).</summary>
    public ILookup<string, SentEmail> EmailsByRunId(IEnumerable<SentEmail> emails) =>
        emails
            .Select(e => (Email: e, Match: RunIdPattern().Matches(e.Body).Select(m => m.Value).FirstOrDefault(id => id.StartsWith(RunIdPrefix, StringComparison.Ordinal))))
            .Where(x => x.Match is not null)
            .ToLookup(x => x.Match!, x => x.Email);

    public static IAmazonSQS Sqs(Uri motoUrl) =>
        new AmazonSQSClient(new BasicAWSCredentials("test", "test"), new AmazonSQSConfig { ServiceURL = motoUrl.ToString(), AuthenticationRegion = "us-east-1" });

    [GeneratedRegex(@"chaos-[a-z]-[0-9a-f]{6}-\d{5}")]
    private static partial Regex RunIdPattern();
}
