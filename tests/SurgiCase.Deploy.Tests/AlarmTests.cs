using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Every alarm reaches a person through the SNS topic, and watches a metric that really exists: the services' own
/// metrics by the names their code gives them, with the service.name their tasks export.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class AlarmTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void Every_alarm_notifies_the_topic_that_emails_the_alarm_address()
    {
        var topic = Assert.Single(Json.Resources("AWS::SNS::Topic")).Id;
        var subscription = Assert.Single(Json.Resources("AWS::SNS::Subscription")).Resource["Properties"]!;
        Assert.Equal("email", (string?)subscription["Protocol"]);
        Assert.Equal(SynthesizedStack.AlarmEmail, (string?)subscription["Endpoint"]);
        Assert.Equal(topic, (string?)subscription["TopicArn"]!["Ref"]);

        // Every named alarm is for a person; the two unnamed ones are the backlog scaling's, which act on the scaling
        // policy instead (ScalingTests).
        var all = Json.Resources("AWS::CloudWatch::Alarm").ToList();
        var alarms = all.Where(a => a.Resource["Properties"]!["AlarmName"] is not null).ToList();
        Assert.Equal(17, alarms.Count);
        Assert.Equal(2, all.Count - alarms.Count);
        Assert.All(all.Except(alarms), a => Assert.Equal("AWS::ApplicationAutoScaling::ScalingPolicy",
            (string?)Json.Resource((string)Assert.Single(a.Resource["Properties"]!["AlarmActions"]!.AsArray())!["Ref"]!)["Type"]));
        Assert.All(alarms, a =>
        {
            Assert.Equal(topic, (string?)Assert.Single(a.Resource["Properties"]!["AlarmActions"]!.AsArray())!["Ref"]);
            Assert.Equal(topic, (string?)Assert.Single(a.Resource["Properties"]!["OKActions"]!.AsArray())!["Ref"]);
        });
    }

    [Fact]
    public void The_dead_mans_switch_fires_when_the_heartbeat_is_missing()
    {
        var alarm = Alarm("surgicase-production-scheduler-heartbeat-missing");

        Assert.Equal("breaching", (string?)alarm["TreatMissingData"]);
        Assert.Equal("LessThanThreshold", (string?)alarm["ComparisonOperator"]);
        Assert.Equal(1, (double)alarm["Threshold"]!);
        Assert.Equal("Sum", (string?)alarm["Statistic"]);
        Assert.Equal(60, (int)alarm["Period"]!);
        Assert.Equal(5, (int)alarm["EvaluationPeriods"]!);
        AssertServiceMetric(alarm, "scheduler-service", "surgicase.scheduler.heartbeat");
    }

    [Fact]
    public void Overdue_jobs_and_failed_notifications_alarm_on_the_services_own_metrics()
    {
        AssertServiceMetric(Alarm("surgicase-production-scheduler-overdue-jobs"), "scheduler-service", "surgicase.scheduler.jobs.overdue");
        AssertServiceMetric(Alarm("surgicase-production-notification-failures"), "notification-service", "surgicase.notifications.failed");
    }

    [Fact]
    public void The_queues_alarm_on_dead_letters_and_on_messages_older_than_five_minutes()
    {
        var deadLetters = Alarm("surgicase-production-dlq-has-messages");
        Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)deadLetters["MetricName"]);
        Assert.Equal(QueueDimension("surgicase-production-job-events-dlq"), TemplateJson.Canonical(deadLetters["Dimensions"]![0]!["Value"]));
        Assert.Equal(0, (double)deadLetters["Threshold"]!);
        Assert.Equal("GreaterThanThreshold", (string?)deadLetters["ComparisonOperator"]);

        var oldest = Alarm("surgicase-production-queue-message-older-than-5-minutes");
        Assert.Equal("ApproximateAgeOfOldestMessage", (string?)oldest["MetricName"]);
        Assert.Equal(QueueDimension("surgicase-production-job-events"), TemplateJson.Canonical(oldest["Dimensions"]![0]!["Value"]));
        Assert.Equal(300, (double)oldest["Threshold"]!);
    }

    [Fact]
    public void Each_service_below_its_desired_count_alarms_and_silence_counts_as_below()
    {
        foreach (var service in Json.Services())
        {
            var alarm = Alarm($"surgicase-production-{service.Name}-below-desired-count");
            Assert.Equal("RunningTaskCount", (string?)alarm["MetricName"]);
            Assert.Equal("ECS/ContainerInsights", (string?)alarm["Namespace"]);
            Assert.Equal((double)service.Service["Properties"]!["DesiredCount"]!, (double)alarm["Threshold"]!);
            Assert.Equal("LessThanThreshold", (string?)alarm["ComparisonOperator"]);
            Assert.Equal("breaching", (string?)alarm["TreatMissingData"]);
            var serviceDimension = alarm["Dimensions"]!.AsArray().Single(d => (string?)d!["Name"] == "ServiceName")!;
            Assert.Equal(service.ServiceId, (string?)serviceDimension["Value"]!["Fn::GetAtt"]![0]);
        }
    }

    private static JsonObject Alarm(string name) =>
        Assert.Single(Json.Resources("AWS::CloudWatch::Alarm"), a => (string?)a.Resource["Properties"]!["AlarmName"] == name).Resource["Properties"]!.AsObject();

    private static string QueueDimension(string queueName) =>
        TemplateJson.Canonical(new JsonObject { ["Fn::GetAtt"] = new JsonArray(Json.IdOf("AWS::SQS::Queue", "QueueName", queueName), "QueueName") });

    /// <summary>
    /// The alarm's metric is one the service's code creates (its name is a string in the service's assembly), in the
    /// namespace the collector writes, with the service.name dimension the service's task exports.
    /// </summary>
    private static void AssertServiceMetric(JsonObject alarm, string service, string metric)
    {
        Assert.Equal(metric, (string?)alarm["MetricName"]);
        Assert.Equal("SurgiCase", (string?)alarm["Namespace"]);
        // Both dimensions the collector writes: this environment's, so another stack's metrics never trip this alarm,
        // and the service's name as its task exports it.
        var dimensions = alarm["Dimensions"]!.AsArray().ToDictionary(d => (string)d!["Name"]!, d => (string?)d!["Value"]);
        Assert.Equal(["deployment.environment", "service.name"], dimensions.Keys.Order());
        Assert.Equal("production", dimensions["deployment.environment"]);
        var deployed = Json.Service(service);
        Assert.Equal((string?)deployed.Environment["OTEL_SERVICE_NAME"], dimensions["service.name"]);
        Assert.Contains(metric, StringsIn(deployed.Assembly));
    }

    /// <summary>The string literals compiled into an assembly (a metric name reaches the meter as one).</summary>
    private static HashSet<string> StringsIn(Assembly assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly.Location));
        var metadata = pe.GetMetadataReader();
        var strings = new HashSet<string>(StringComparer.Ordinal);
        for (var handle = MetadataTokens.UserStringHandle(1); !handle.IsNil; handle = metadata.GetNextHandle(handle))
        {
            strings.Add(metadata.GetUserString(handle));
        }

        return strings;
    }
}
