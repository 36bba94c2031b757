using System.Reflection;
using Amazon.CDK.Assertions;

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
        var deadLetterQueue = json.IdOf("AWS::SQS::Queue", "QueueName", (string)Notifications.DefaultOf("Messaging:DeadLetterQueueName")!);

        template.HasResourceProperties("AWS::SQS::Queue", new Dictionary<string, object>
        {
            ["QueueName"] = (string)Notifications.DefaultOf("Messaging:QueueName")!,
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
            ["QueueName"] = "surgicase-job-events-dlq",
            ["SqsManagedSseEnabled"] = true,
            ["RedrivePolicy"] = Match.Absent(),
        });
        template.ResourceCountIs("AWS::SQS::Queue", 2);
    }

    [Fact]
    public void Alerts_are_sent_from_the_verified_sender_with_the_configuration_set()
    {
        var template = SynthesizedStack.Default.Template;
        template.HasResourceProperties("AWS::SES::EmailIdentity", new Dictionary<string, object>
        {
            ["EmailIdentity"] = "alerts@example.com",
            ["ConfigurationSetAttributes"] = new Dictionary<string, object> { ["ConfigurationSetName"] = Match.AnyValue() },
        });
        template.HasResourceProperties("AWS::SES::ConfigurationSet", new Dictionary<string, object> { ["Name"] = "surgicase-alerts" });

        var notifications = SynthesizedStack.Default.Json.Service("notification-service").Environment;
        Assert.Equal("alerts@example.com", (string?)notifications["Notifications__Sender"]);
        Assert.Equal("surgicase-alerts", (string?)notifications["Aws__Ses__ConfigurationSetName"]);
        Assert.Equal(SynthesizedStack.AlarmEmail, (string?)notifications["Notifications__FallbackRecipients"]);
    }
}
