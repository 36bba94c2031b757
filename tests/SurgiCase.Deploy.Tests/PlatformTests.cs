using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>What a platform engineer expects: TLS-only resource policies, an encrypted alarm topic, scaling on the
/// queue's backlog, access logs and flow logs.</summary>
[Collection(StackCollection.Name)]
public sealed class PlatformTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void Every_queue_topic_and_bucket_denies_requests_without_tls()
    {
        var targets = Json.Resources("AWS::SQS::Queue").Select(q => (q.Id, Type: "AWS::SQS::QueuePolicy", Key: "Queues", Prefix: "sqs"))
            .Concat(Json.Resources("AWS::SNS::Topic").Select(t => (t.Id, Type: "AWS::SNS::TopicPolicy", Key: "Topics", Prefix: "sns")))
            .Concat(Json.Resources("AWS::S3::Bucket").Select(b => (b.Id, Type: "AWS::S3::BucketPolicy", Key: "Bucket", Prefix: "s3")))
            .ToList();
        Assert.Equal(4, targets.Count);

        foreach (var (id, type, key, prefix) in targets)
        {
            var policy = Assert.Single(Json.Resources(type), p => TemplateJson.AsList(p.Resource["Properties"]![key]).Any(r => (string?)r!["Ref"] == id));
            var deny = Assert.Single(policy.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray(), s => (string?)s!["Effect"] == "Deny")!;
            Assert.Equal($"{prefix}:*", (string?)deny["Action"]);
            Assert.Equal("{\"AWS\":\"*\"}", TemplateJson.Canonical(deny["Principal"]));
            Assert.Equal("false", (string?)deny["Condition"]!["Bool"]!["aws:SecureTransport"]);
            var resources = TemplateJson.AsList(deny["Resource"]).Select(TemplateJson.Canonical).ToList();
            Assert.Contains(resources, r => r.Contains($"\"{id}\"", StringComparison.Ordinal));
            if (prefix == "s3")
            {
                // The bucket and every object in it.
                Assert.Contains(resources, r => r.Contains("/*", StringComparison.Ordinal));
            }
        }
    }

    [Fact]
    public void The_alarm_topic_is_encrypted_with_a_rotated_key_cloudwatch_may_use()
    {
        var topic = Json.Resources("AWS::SNS::Topic").Single().Resource["Properties"]!;
        var keyId = (string)topic["KmsMasterKeyId"]!["Fn::GetAtt"]![0]!;
        var key = Json.PropertiesOf(keyId);
        Assert.Equal("AWS::KMS::Key", (string?)Json.Resource(keyId)["Type"]);
        Assert.True((bool)key["EnableKeyRotation"]!);
        Assert.Contains(key["KeyPolicy"]!["Statement"]!.AsArray(),
            s => (string?)s!["Principal"]!["Service"] == "cloudwatch.amazonaws.com" && (string?)s["Effect"] == "Allow");
    }

    [Fact]
    public void Notification_service_scales_on_the_queue_backlog_and_the_scheduler_stays_at_two()
    {
        var target = Assert.Single(Json.Resources("AWS::ApplicationAutoScaling::ScalableTarget")).Resource["Properties"]!;
        Assert.Contains(Json.Service("notification-service").ServiceId, TemplateJson.Canonical(target["ResourceId"]), StringComparison.Ordinal);
        Assert.Equal(2, (int)target["MinCapacity"]!);
        Assert.Equal(6, (int)target["MaxCapacity"]!);
        Assert.Equal("ecs:service:DesiredCount", (string?)target["ScalableDimension"]);

        var queue = Json.IdOf("AWS::SQS::Queue", "QueueName", "surgicase-production-job-events");
        var policies = Json.Resources("AWS::ApplicationAutoScaling::ScalingPolicy").ToList();
        Assert.Equal(2, policies.Count);
        foreach (var (policyId, policy) in policies)
        {
            Assert.Equal("StepScaling", (string?)policy["Properties"]!["PolicyType"]);
            var alarm = Assert.Single(Json.Resources("AWS::CloudWatch::Alarm"),
                a => TemplateJson.Canonical(a.Resource["Properties"]!["AlarmActions"]).Contains($"\"{policyId}\"", StringComparison.Ordinal)).Resource["Properties"]!;
            Assert.Equal("ApproximateNumberOfMessagesVisible", (string?)alarm["MetricName"]);
            Assert.Equal(queue, (string?)alarm["Dimensions"]![0]!["Value"]!["Fn::GetAtt"]![0]);
        }

        var scheduler = Json.Service("scheduler-service").Service["Properties"]!;
        Assert.Equal(2, (int)scheduler["DesiredCount"]!);
        Assert.DoesNotContain(Json.Service("scheduler-service").ServiceId, TemplateJson.Canonical(target["ResourceId"]), StringComparison.Ordinal);
    }

    [Fact]
    public void The_load_balancer_writes_access_logs_to_an_encrypted_bucket_that_expires_them()
    {
        var attributes = Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["LoadBalancerAttributes"]!
            .AsArray().ToDictionary(a => (string)a!["Key"]!, a => a!["Value"]);
        Assert.Equal("true", (string?)attributes["access_logs.s3.enabled"]);
        var bucket = Json.PropertiesOf((string)attributes["access_logs.s3.bucket"]!["Ref"]!);
        Assert.Equal("AES256", (string?)bucket["BucketEncryption"]!["ServerSideEncryptionConfiguration"]![0]!["ServerSideEncryptionByDefault"]!["SSEAlgorithm"]);
        Assert.Equal(90, (int)bucket["LifecycleConfiguration"]!["Rules"]![0]!["ExpirationInDays"]!);
        Assert.All(new[] { "BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets" },
            k => Assert.True((bool)bucket["PublicAccessBlockConfiguration"]![k]!));
    }

    [Fact]
    public void The_vpc_logs_every_flow_to_a_log_group_with_retention()
    {
        var flowLog = Assert.Single(Json.Resources("AWS::EC2::FlowLog")).Resource["Properties"]!;
        Assert.Equal("ALL", (string?)flowLog["TrafficType"]);
        Assert.Equal("VPC", (string?)flowLog["ResourceType"]);
        Assert.Equal(Json.Resources("AWS::EC2::VPC").Single().Id, (string?)flowLog["ResourceId"]!["Ref"]);
        Assert.Equal("cloud-watch-logs", (string?)flowLog["LogDestinationType"]);
        var group = Json.PropertiesOf((string)flowLog["LogGroupName"]!["Ref"]!);
        Assert.Equal("/surgicase/production/vpc-flow-logs", (string?)group["LogGroupName"]);
        Assert.Equal(90, (int)group["RetentionInDays"]!);
    }
}
