using System.Text.Json.Nodes;
using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

public sealed class JobEventSerializerTests
{
    public static TheoryData<IJobEvent, string, string[]> Events() => new()
    {
        {
            SampleEvents.FullFailure(), MessageTypes.JobFailed,
            ["trigger", "attempt", "errorKind", "errorMessage", "exception", "details", "troubleshooting", "attemptErrors"]
        },
        {
            SampleEvents.PartialFailure(), MessageTypes.JobPartiallyFailed,
            ["succeeded", "failed", "total", "failedItems", "warnings", "trigger", "details", "troubleshooting"]
        },
        { SampleEvents.Recovery(), MessageTypes.JobRecovered, ["failedSince", "failedRuns"] },
        { SampleEvents.AttemptTimedOut(), MessageTypes.JobFailed, ["attempt", "errorKind", "severity", "retryAt", "maxAttempts"] },
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Round_trip_keeps_every_field(IJobEvent original, string expectedType, string[] _)
    {
        var (messageType, body) = JobEventSerializer.Serialize(original);

        var copy = JobEventSerializer.Deserialize(messageType, body);

        Assert.Equal(expectedType, messageType);
        Assert.IsType(original.GetType(), copy);
        Assert.Equivalent(original, copy, strict: true);
    }

    [Theory]
    [MemberData(nameof(Events))]
    public void Field_names_are_camel_case_as_in_the_contracts(IJobEvent original, string _, string[] specificFields)
    {
        var (_, body) = JobEventSerializer.Serialize(original);

        var json = JsonNode.Parse(body)!.AsObject();
        string[] common = ["eventId", "occurredAt", "jobId", "jobName", "runId", "host"];
        Assert.All(common.Concat(specificFields), field => Assert.True(json.ContainsKey(field), $"'{field}' missing in {body}"));
        Assert.All(json.Select(p => p.Key), name => Assert.True(char.IsLower(name[0]), $"'{name}' is not camelCase"));
        Assert.Equal(original.EventId, json["eventId"]!.GetValue<string>());
    }

    [Fact]
    public void A_failure_from_before_retryAt_existed_reads_as_a_final_failure()
    {
        var (_, body) = JobEventSerializer.Serialize(SampleEvents.SimpleFailure());
        var old = JsonNode.Parse(body)!.AsObject();
        old.Remove("retryAt");
        old.Remove("maxAttempts");

        var copy = Assert.IsType<JobFailed>(JobEventSerializer.Deserialize(MessageTypes.JobFailed, old.ToJsonString()));

        Assert.Null(copy.RetryAt);
        Assert.Null(copy.MaxAttempts);
    }

    [Fact]
    public void Nested_exception_info_is_camel_case()
    {
        var (_, body) = JobEventSerializer.Serialize(SampleEvents.FullFailure());

        var exception = JsonNode.Parse(body)!["exception"]!.AsObject();
        Assert.Equal(["type", "message", "stackTrace"], exception.Select(p => p.Key));
    }

    public static TheoryData<string?, string, string> PoisonCases()
    {
        var valid = JobEventSerializer.Serialize(SampleEvents.SimpleFailure()).Body;
        var withoutJobId = JsonNode.Parse(valid)!.AsObject();
        withoutJobId.Remove("jobId");
        var nullErrorKind = JsonNode.Parse(valid)!.AsObject();
        nullErrorKind["errorKind"] = null;
        var emptyEventId = JsonNode.Parse(valid)!.AsObject();
        emptyEventId["eventId"] = "";
        var blankEventId = JsonNode.Parse(valid)!.AsObject();
        blankEventId["eventId"] = "  ";
        var wrongType = JsonNode.Parse(valid)!.AsObject();
        wrongType["attempt"] = "three";
        return new()
        {
            { MessageTypes.JobFailed, "this is not json", "body is not JSON" },
            { MessageTypes.JobFailed, "[1,2]", "body is not a JSON object" },
            { MessageTypes.JobFailed, "", "body is empty" },
            { "job-exploded.v9", valid, "unknown message-type 'job-exploded.v9'" },
            { null, valid, "missing 'message-type' attribute" },
            { MessageTypes.JobFailed, withoutJobId.ToJsonString(), "missing required field 'jobId'" },
            { MessageTypes.JobFailed, nullErrorKind.ToJsonString(), "missing required field 'errorKind'" },
            { MessageTypes.JobFailed, wrongType.ToJsonString(), "field 'attempt' is invalid" },
            { MessageTypes.JobFailed, emptyEventId.ToJsonString(), "field 'eventId' is empty" },
            { MessageTypes.JobFailed, blankEventId.ToJsonString(), "field 'eventId' is empty" },
            { "job\r\nFORGED log line\u001b[2J", valid, "unknown message-type 'jobFORGED log line[2J'" },
            { MessageTypes.JobRecovered, valid, "missing required field 'failedSince'" },
            { MessageTypes.JobFailed, new string('x', 2049), "message is larger than 2048 bytes" },
        };
    }

    [Theory]
    [MemberData(nameof(PoisonCases))]
    public void Undeliverable_messages_are_poison_with_a_short_reason(string? messageType, string body, string reason)
    {
        var e = Assert.Throws<PoisonMessageException>(() => JobEventSerializer.Deserialize(messageType, body, maxMessageBytes: 2048));

        Assert.Equal(reason, e.Reason);
    }

    [Fact]
    public void Poison_reason_does_not_echo_a_long_message_type()
    {
        var e = Assert.Throws<PoisonMessageException>(() => JobEventSerializer.Deserialize(new string('t', 500), "{}"));

        Assert.True(e.Reason.Length < 100, e.Reason);
    }

    [Theory]
    [InlineData(1, 300, 2)]
    [InlineData(3, 300, 8)]
    [InlineData(9, 300, 300)]
    [InlineData(1000, 300, 300)]
    [InlineData(4, 0, 0)]
    public void Retry_delay_doubles_per_receive_up_to_the_cap_less_up_to_a_fifth_of_jitter(int receiveCount, int cap, int expectedSeconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), JobEventMessageProcessor.RetryDelay(receiveCount, cap, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds * 0.9), JobEventMessageProcessor.RetryDelay(receiveCount, cap, random: 0.5));
    }

    [Fact]
    public void Outbox_retries_are_jittered_within_their_cap()
    {
        var settings = new SurgiCase.Messaging.Outbox.OutboxOptions { RetryInitialDelay = TimeSpan.FromSeconds(1), RetryMaxDelay = TimeSpan.FromSeconds(60) };

        Assert.Equal(TimeSpan.FromSeconds(4), SurgiCase.Messaging.Outbox.OutboxDispatcher.Backoff(settings, 3, random: 0));
        Assert.Equal(TimeSpan.FromSeconds(3.2), SurgiCase.Messaging.Outbox.OutboxDispatcher.Backoff(settings, 3, random: 1));
        Assert.Equal(TimeSpan.FromSeconds(54), SurgiCase.Messaging.Outbox.OutboxDispatcher.Backoff(settings, 30, random: 0.5));
    }
}
