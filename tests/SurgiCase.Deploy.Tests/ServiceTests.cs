using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace SurgiCase.Deploy.Tests;

/// <summary>The Fargate services: images, counts, deployments, Service Connect names, health checks, the collector beside each.</summary>
[Collection(StackCollection.Name)]
public sealed class ServiceTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Theory]
    [InlineData("secrets-service", 2)]
    [InlineData("scheduler-service", 2)]
    [InlineData("notification-service", 2)]
    [InlineData("api-simulator", 1)]
    public void Each_service_runs_its_ecr_image_at_the_deployed_tag_with_a_circuit_breaker_that_rolls_back(string name, int tasks)
    {
        var service = Json.Service(name);
        var properties = service.Service["Properties"]!;

        Assert.Equal(tasks, (int)properties["DesiredCount"]!);
        Assert.Equal("FARGATE", (string?)properties["LaunchType"]);
        Assert.True((bool)properties["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Enable"]!);
        Assert.True((bool)properties["DeploymentConfiguration"]!["DeploymentCircuitBreaker"]!["Rollback"]!);
        Assert.Equal(100, (int)properties["DeploymentConfiguration"]!["MinimumHealthyPercent"]!);
        var image = TemplateJson.Canonical(service.App["Image"]);
        Assert.EndsWith($"/surgicase/{name}:ci-example\"]]}}", image, StringComparison.Ordinal);
        Assert.Contains(".dkr.ecr.", image, StringComparison.Ordinal);
        Assert.Equal(8080, (int)service.App["PortMappings"]![0]!["ContainerPort"]!);
    }

    [Fact]
    public void Services_find_each_other_by_service_connect_names_on_port_80()
    {
        string[] servers = ["secrets-service", "notification-service", "api-simulator"];
        foreach (var service in Json.Services())
        {
            var connect = service.Service["Properties"]!["ServiceConnectConfiguration"]!;
            Assert.True((bool)connect["Enabled"]!);
            Assert.Equal("production.surgicase.internal", (string?)connect["Namespace"]);
            var aliases = (connect["Services"]?.AsArray() ?? []).SelectMany(s => s!["ClientAliases"]!.AsArray()).ToList();
            if (servers.Contains(service.Name))
            {
                var alias = Assert.Single(aliases)!;
                Assert.Equal(service.Name, (string?)alias["DnsName"]);
                Assert.Equal(80, (int)alias["Port"]!);
            }
            else
            {
                Assert.Empty(aliases);
            }
        }

        // The callers' base addresses are those names.
        var scheduler = Json.Service("scheduler-service").Environment;
        Assert.Equal("http://secrets-service/", (string?)scheduler["SecretsClient__BaseAddress"]);
        Assert.Equal("http://notification-service/", (string?)scheduler["Operations__NotificationsBaseAddress"]);
        Assert.Equal("http://api-simulator/", (string?)scheduler["SurgiCaseApi__BaseAddress"]);
    }

    [Fact]
    public void Every_app_container_is_health_checked_on_alive_not_health_and_runs_in_production()
    {
        foreach (var service in Json.Services())
        {
            var command = service.App["HealthCheck"]!["Command"]!.AsArray().Select(c => (string)c!).ToList();
            Assert.Equal(["CMD", "bash", "-c"], command.Take(3));
            Assert.Contains("GET /alive HTTP/1.1", command[3], StringComparison.Ordinal);
            Assert.DoesNotContain("/health", command[3], StringComparison.Ordinal);
            Assert.Contains("/dev/tcp/127.0.0.1/8080", command[3], StringComparison.Ordinal);
            Assert.Equal("Production", (string?)service.Environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("8080", (string?)service.Environment["ASPNETCORE_HTTP_PORTS"]);
        }
    }

    [Fact]
    public void Every_task_exports_telemetry_to_an_adot_collector_beside_it()
    {
        foreach (var service in Json.Services())
        {
            var collector = service.Container("otel-collector");
            Assert.True((bool)collector["Essential"]!);
            // The account's own ECR (step 1 copies it there), pinned by digest: nothing outside the account at start.
            Assert.Contains("/surgicase/aws-otel-collector@sha256:", TemplateJson.Canonical(collector["Image"]), StringComparison.Ordinal);
            Assert.DoesNotContain("public.ecr.aws", TemplateJson.Canonical(collector["Image"]), StringComparison.Ordinal);
            var config = TemplateJson.Canonical(collector["Environment"]!.AsArray().Single(e => (string?)e!["Name"] == "AOT_CONFIG_CONTENT")!["Value"]);
            Assert.Contains("awsxray:", config, StringComparison.Ordinal);
            Assert.Contains("awsemf:", config, StringComparison.Ordinal);
            Assert.Contains("namespace: SurgiCase", config, StringComparison.Ordinal);
            Assert.Contains("dimensions: [[deployment.environment, service.name]]", config, StringComparison.Ordinal);
            Assert.Contains("value: production", config, StringComparison.Ordinal);
            Assert.Equal("http://localhost:4317", (string?)service.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal(service.Name, (string?)service.Environment["OTEL_SERVICE_NAME"]);
            var dependency = Assert.Single(service.App["DependsOn"]!.AsArray())!;
            Assert.Equal("otel-collector", (string?)dependency["ContainerName"]);
            Assert.Equal("HEALTHY", (string?)dependency["Condition"]);
        }

        Assert.Empty(Json.Resources("AWS::ECR::PullThroughCacheRule"));
    }

    [Fact]
    public void Every_container_logs_to_a_log_group_with_retention()
    {
        var groups = Json.Resources("AWS::Logs::LogGroup").ToDictionary(g => g.Id, g => g.Resource["Properties"]!);
        Assert.All(groups.Values, g => Assert.Equal(90, (int)g["RetentionInDays"]!));
        foreach (var container in Json.Services().SelectMany(s => s.Containers))
        {
            Assert.Equal("awslogs", (string?)container["LogConfiguration"]!["LogDriver"]);
            Assert.Contains((string)container["LogConfiguration"]!["Options"]!["awslogs-group"]!["Ref"]!, groups.Keys);
        }
    }

    [Fact]
    public void The_cluster_reports_container_insights_for_the_task_count_alarms()
    {
        SynthesizedStack.Default.Template.HasResourceProperties("AWS::ECS::Cluster", new Dictionary<string, object>
        {
            ["ClusterSettings"] = Match.ArrayWith([new Dictionary<string, object> { ["Name"] = "containerInsights", ["Value"] = "enabled" }]),
        });
    }
}
