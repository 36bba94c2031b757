using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Staging and production side by side in one account and region: no physical name in common, and every metric of
/// the services' own read by an alarm or the dashboard selects its environment.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class EnvironmentTests
{
    /// <summary>Properties that name a resource in the account and region (literal values only).</summary>
    private static readonly Dictionary<string, string[]> NameProperties = new(StringComparer.Ordinal)
    {
        ["AWS::SQS::Queue"] = ["QueueName"],
        ["AWS::SNS::Topic"] = ["TopicName"],
        ["AWS::Logs::LogGroup"] = ["LogGroupName"],
        ["AWS::SecretsManager::Secret"] = ["Name"],
        ["AWS::ServiceDiscovery::HttpNamespace"] = ["Name"],
        ["AWS::SES::ConfigurationSet"] = ["Name"],
        ["AWS::SES::EmailIdentity"] = ["EmailIdentity"],
        ["AWS::ECS::Cluster"] = ["ClusterName"],
        ["AWS::CloudWatch::Dashboard"] = ["DashboardName"],
        ["AWS::CloudWatch::Alarm"] = ["AlarmName"],
        ["AWS::S3::Bucket"] = ["BucketName"],
        ["AWS::IAM::Role"] = ["RoleName"],
        ["AWS::RDS::DBInstance"] = ["DBInstanceIdentifier"],
        ["AWS::RDS::DBSubnetGroup"] = ["DBSubnetGroupName"],
        ["AWS::ElasticLoadBalancingV2::LoadBalancer"] = ["Name"],
        ["AWS::ElasticLoadBalancingV2::TargetGroup"] = ["Name"],
        ["AWS::KMS::Alias"] = ["AliasName"],
        ["AWS::Lambda::Function"] = ["FunctionName"],
        ["AWS::ECR::PullThroughCacheRule"] = ["EcrRepositoryPrefix"],
        ["AWS::Cognito::UserPool"] = ["UserPoolName"],
    };

    [Fact]
    public void Staging_and_production_share_no_physical_name()
    {
        var production = PhysicalNames(SynthesizedStack.Default.Json);
        var staging = PhysicalNames(SynthesizedStack.Staging.Json);

        // Both sets hold what collides when unqualified: queues, secrets, namespace, configuration set, log groups,
        // the cluster's services, the dashboard and the alarms.
        Assert.Contains("surgicase-production-job-events", production);
        Assert.Contains("surgicase-staging-job-events", staging);
        Assert.Contains("surgicase/staging/api", staging);
        Assert.Contains("staging.surgicase.internal", staging);
        Assert.Contains("surgicase-staging-alerts", staging);
        Assert.Contains("surgicase-staging/scheduler-service", staging);
        Assert.Contains("surgicase-staging", staging);
        Assert.True(production.Count >= 50, $"only {production.Count} physical names found");
        Assert.Equal(production.Count, staging.Count);
        Assert.Empty(production.Intersect(staging));
        // Every literal "...Name" property in the template is either collected above or named here as not physical.
        var uncovered = SynthesizedStack.Default.Json.Root["Resources"]!.AsObject()
            .SelectMany(r => (r.Value!["Properties"]?.AsObject() ?? []).Select(p => (Type: (string)r.Value!["Type"]!, Property: p.Key, p.Value)))
            .Where(p => p.Property.EndsWith("Name", StringComparison.Ordinal) && p.Value is JsonValue)
            .Where(p => !(NameProperties.TryGetValue(p.Type, out var covered) && covered.Contains(p.Property)))
            .Select(p => $"{p.Type}.{p.Property}")
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(NotPhysicalNames, uncovered);
    }

    /// <summary>"...Name" properties that name nothing in the account and region.</summary>
    private static readonly HashSet<string> NotPhysicalNames = new(StringComparer.Ordinal)
    {
        "AWS::ECS::Service.ServiceName", // unique within its cluster: collected as cluster/service
        "AWS::EC2::VPCEndpoint.ServiceName", // the AWS service the endpoint reaches
        "AWS::CloudWatch::Alarm.MetricName",
        "AWS::SNS::Topic.DisplayName",
        "AWS::RDS::DBInstance.DBName", // a database inside the instance
        "AWS::ApplicationAutoScaling::ScalingPolicy.PolicyName", // unique per scalable target
        "AWS::IAM::Policy.PolicyName", // an inline policy of its role
        "AWS::Cognito::UserPoolClient.ClientName", // unique within its user pool
        "AWS::Cognito::UserPoolGroup.GroupName", // unique within its user pool
    };

    [Fact]
    public void The_staging_stack_tells_its_services_the_staging_names()
    {
        var staging = SynthesizedStack.Staging.Json;
        Assert.Equal("SurgiCase-staging", SynthesizedStack.Staging.Stack.StackName);
        var secrets = staging.Service("secrets-service").Environment;
        Assert.Equal("surgicase/staging/main", (string?)secrets["Secrets__SecretNames__0"]);
        var notifications = staging.Service("notification-service").Environment;
        Assert.Equal("surgicase-staging-alerts", (string?)notifications["Aws__Ses__ConfigurationSetName"]);
        Assert.Equal("surgicase/staging/slack", (string?)notifications["Notifications__Webhook__SecretName"]);
        Assert.Equal("surgicase/staging/api", (string?)staging.Service("scheduler-service").Environment["SurgiCaseApi__ApiKeySecretName"]);
        Assert.Contains("value: staging", TemplateJson.Canonical(staging.Service("scheduler-service").Container("otel-collector")["Environment"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_alarm_and_graph_on_a_custom_metric_selects_its_environment()
    {
        foreach (var (stack, environment) in new[] { (SynthesizedStack.Default, "production"), (SynthesizedStack.Staging, "staging") })
        {
            var custom = stack.Json.Resources("AWS::CloudWatch::Alarm").Select(a => a.Resource["Properties"]!)
                .Where(p => (string?)p["Namespace"] == "SurgiCase").ToList();
            Assert.Equal(5, custom.Count);
            Assert.All(custom, p => Assert.Contains(p["Dimensions"]!.AsArray(),
                d => (string?)d!["Name"] == "deployment.environment" && (string?)d["Value"] == environment));

            var metrics = DashboardTests.Widgets(stack.Json).SelectMany(w => w["properties"]!["metrics"]?.AsArray() ?? []).ToList();
            var searches = metrics.Select(m => (string?)(m![0] as JsonObject)?["expression"]).OfType<string>().ToList();
            Assert.Equal(4, searches.Count);
            Assert.All(searches, s => Assert.Contains($"\"deployment.environment\"=\"{environment}\"", s, StringComparison.Ordinal));
            var own = metrics.Where(m => m![0] is JsonValue && (string?)m[0] == "SurgiCase").ToList();
            Assert.NotEmpty(own);
            Assert.All(own, m => Assert.Equal(["deployment.environment", environment], m!.AsArray().Skip(2).Take(2).Select(v => (string?)v)));
        }
    }

    /// <summary>Every literal physical name; an ECS service's name is unique within its cluster, so it counts as cluster/service.</summary>
    private static HashSet<string> PhysicalNames(TemplateJson json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, properties) in NameProperties)
        {
            foreach (var (_, resource) in json.Resources(type))
            {
                foreach (var property in properties)
                {
                    if (resource["Properties"]?[property] is JsonValue value && value.TryGetValue<string>(out var name))
                    {
                        names.Add(name);
                    }
                }
            }
        }

        foreach (var service in json.Services())
        {
            var cluster = (string)json.PropertiesOf((string)service.Service["Properties"]!["Cluster"]!["Ref"]!)["ClusterName"]!;
            names.Add($"{cluster}/{service.Name}");
        }

        return names;
    }
}
