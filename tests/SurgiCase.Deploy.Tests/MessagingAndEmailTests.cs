using System.Reflection;
using Amazon.CDK.Assertions;
using Nodes = System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>The queues and SES as the services expect them: names, redrive, encryption, sender and configuration set.</summary>
[Collection(StackCollection.Name)]
public sealed class MessagingAndEmailTests
{
    private static readonly ServiceConfigurationKeys Notifications = ServiceConfigurationKeys.Of(Assembly.Load("SurgiCase.NotificationService"));

    [Fact]
    public void The_queue_redrives_to_the_dead_letter_queue_after_the_services_receive_count_and_both_are_encrypted()
    {
        var template = SynthesizedStack.Default.Template;
        var json = SynthesizedStack.Default.Json;
        // The environment's own names, told to every service that uses the queues (the services' defaults are the
        // local names, without an environment).
        var notifications = json.Service("notification-service").Environment;
        Assert.Equal("surgicase-production-job-events", QueueNameOf(json, notifications["Messaging__QueueName"]));
        Assert.Equal("surgicase-production-job-events-dlq", QueueNameOf(json, notifications["Messaging__DeadLetterQueueName"]));
        Assert.Equal("surgicase-production-job-events", QueueNameOf(json, json.Service("scheduler-service").Environment["Messaging__QueueName"]));
        Assert.Equal("surgicase-production-job-events", QueueNameOf(json, json.Service("secrets-service").Environment["Messaging__QueueName"]));
        var deadLetterQueue = json.IdOf("AWS::SQS::Queue", "QueueName", "surgicase-production-job-events-dlq");

        template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "surgicase-production-job-events",
            ["SqsManagedSseEnabled"] = true,
            ["VisibilityTimeout"] = (int)Notifications.DefaultOf("Messaging:VisibilityTimeoutSeconds")!,
            ["RedrivePolicy"] = new Dictionary<string, object>
            {
                ["deadLetterTargetArn"] = new Dictionary<string, object> { ["Fn::GetAtt"] = new object[] { deadLetterQueue, "Arn" } },
                ["maxReceiveCount"] = (int)Notifications.DefaultOf("Messaging:MaxReceiveCount")!,
            },
        });
        template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = "surgicase-production-job-events-dlq",
            ["SqsManagedSseEnabled"] = true,
            ["RedrivePolicy"] = Match.Absent(),
        });
        template.ResourceCountIs("AWS::SQS::Queue", 2);
    }

    /// <summary>The queue name a service is given: a literal, or the queue's QueueName attribute.</summary>
    private static string QueueNameOf(TemplateJson json, Nodes.JsonNode? value) => value switch
    {
        Nodes.JsonValue literal => (string)literal!,
        Nodes.JsonObject reference when reference["Fn::GetAtt"] is Nodes.JsonArray getAtt && (string?)getAtt[1] == "QueueName" =>
            (string)json.PropertiesOf((string)getAtt[0]!)["QueueName"]!,
        _ => throw new Xunit.Sdk.XunitException($"not a queue name: {TemplateJson.Canonical(value)}"),
    };

    [Fact]
    public void Alerts_are_sent_from_the_verified_sender_with_the_configuration_set()
    {
        var template = SynthesizedStack.Default.Template;
        template.HasResourceProperties("AWS::SES::EmailIdentity", new Dictionary<string, object>
        {
            ["EmailIdentity"] = "alerts@surgicase.example",
            ["ConfigurationSetAttributes"] = new Dictionary<string, object> { ["ConfigurationSetName"] = Match.AnyValue() },
        });
        template.HasResourceProperties("AWS::SES::ConfigurationSet", new Dictionary<string, object> { ["Name"] = "surgicase-production-alerts" });

        var notifications = SynthesizedStack.Default.Json.Service("notification-service").Environment;
        Assert.Equal("alerts@surgicase.example", (string?)notifications["Notifications__Sender"]);
        Assert.Equal("surgicase-production-alerts", (string?)notifications["Aws__Ses__ConfigurationSetName"]);
        Assert.Equal(SynthesizedStack.AlarmEmail, (string?)notifications["Notifications__FallbackRecipients"]);
    }
}
