using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Only the operations page is reachable from outside: HTTPS on 443 at the load balancer. The tasks have no public
/// address and no route to the internet, reach AWS through VPC endpoints, and accept only their known callers.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class NetworkTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void No_nat_gateway_by_default_and_one_when_asked_for()
    {
        SynthesizedStack.Default.Template.ResourceCountIs("AWS::EC2::NatGateway", 0);
        SynthesizedStack.InternalWithApi.Template.ResourceCountIs("AWS::EC2::NatGateway", 1);
    }

    [Theory]
    [InlineData("sqs")]
    [InlineData("secretsmanager")]
    [InlineData("email")]
    [InlineData("ecr.api")]
    [InlineData("ecr.dkr")]
    [InlineData("logs")]
    [InlineData("xray")]
    public void An_interface_endpoint_with_private_dns_serves_each_aws_api_the_tasks_call(string service)
    {
        var endpoints = Json.Resources("AWS::EC2::VPCEndpoint")
            .Where(e => TemplateJson.Canonical(e.Resource["Properties"]!["ServiceName"]).EndsWith($".{service}\"]]}}", StringComparison.Ordinal))
            .ToList();

        var endpoint = Assert.Single(endpoints).Resource["Properties"]!;
        Assert.Equal("Interface", (string?)endpoint["VpcEndpointType"]);
        Assert.True((bool)endpoint["PrivateDnsEnabled"]!);
    }

    [Fact]
    public void S3_for_image_layers_is_a_gateway_endpoint()
    {
        SynthesizedStack.Default.Template.HasResourceProperties("AWS::EC2::VPCEndpoint", new Dictionary<string, object>
        {
            ["VpcEndpointType"] = "Gateway",
            ["ServiceName"] = Match.ObjectLike(new Dictionary<string, object>
            {
                ["Fn::Join"] = Match.ArrayWith([Match.ArrayWith([".s3"])]),
            }),
        });
    }

    [Fact]
    public void Tasks_run_without_public_addresses_in_subnets_with_no_route_out()
    {
        var routesToInternet = Json.Resources("AWS::EC2::Route")
            .Where(r => (string?)r.Resource["Properties"]!["DestinationCidrBlock"] == "0.0.0.0/0")
            .Select(r => (string)r.Resource["Properties"]!["RouteTableId"]!["Ref"]!)
            .ToHashSet(StringComparer.Ordinal);

        foreach (var service in Json.Services())
        {
            var network = service.Service["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!;
            Assert.Equal("DISABLED", (string?)network["AssignPublicIp"]);
            foreach (var subnet in network["Subnets"]!.AsArray().Select(s => (string)s!["Ref"]!))
            {
                var table = Json.Resources("AWS::EC2::SubnetRouteTableAssociation")
                    .Single(a => (string?)a.Resource["Properties"]!["SubnetId"]!["Ref"] == subnet)
                    .Resource["Properties"]!["RouteTableId"]!["Ref"]!.ToString();
                Assert.DoesNotContain(table, routesToInternet);
            }
        }
    }

    [Fact]
    public void Only_https_on_443_at_the_load_balancer_is_open_to_addresses_outside_the_vpc()
    {
        var albGroup = (string)Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single()
            .Resource["Properties"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!;

        var cidrRules = IngressRules(Json).Where(r => r.Rule["CidrIp"] is not null).ToList();

        var outside = Assert.Single(cidrRules, r => r.Rule["CidrIp"] is JsonValue);
        Assert.Equal(albGroup, outside.GroupId);
        Assert.Equal("0.0.0.0/0", (string?)outside.Rule["CidrIp"]);
        Assert.Equal(443, (int)outside.Rule["FromPort"]!);
        Assert.Equal(443, (int)outside.Rule["ToPort"]!);
        // Every other address rule is the endpoints' HTTPS from inside the VPC.
        Assert.All(cidrRules.Where(r => r != outside), r =>
        {
            Assert.Contains("CidrBlock", TemplateJson.Canonical(r.Rule["CidrIp"]), StringComparison.Ordinal);
            Assert.Equal(443, (int)r.Rule["FromPort"]!);
        });
    }

    [Fact]
    public void Each_service_accepts_only_its_known_callers()
    {
        var groups = Json.Services().ToDictionary(
            s => (string)s.Service["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!,
            s => s.Name);
        groups[(string)Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!] = "load-balancer";
        groups[(string)Json.Resources("AWS::RDS::DBInstance").Single().Resource["Properties"]!["VPCSecurityGroups"]![0]!["Fn::GetAtt"]![0]!] = "database";

        var pairs = IngressRules(Json)
            .Where(r => r.Rule["SourceSecurityGroupId"] is not null)
            .Select(r => $"{groups[(string)r.Rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!]} -> {groups[r.GroupId]}:{(int)r.Rule["FromPort"]!}")
            .Order();

        Assert.Equal(
            [
                "load-balancer -> scheduler-service:8080",
                "notification-service -> database:5432",
                "notification-service -> secrets-service:8080",
                "scheduler-service -> api-simulator:8080",
                "scheduler-service -> database:5432",
                "scheduler-service -> notification-service:8080",
                "scheduler-service -> secrets-service:8080",
                "secrets-service -> database:5432",
            ],
            pairs);
    }

    [Fact]
    public void The_internal_variant_accepts_https_from_the_vpc_only()
    {
        var json = SynthesizedStack.InternalWithApi.Json;
        var alb = json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!;

        Assert.Equal("internal", (string?)alb["Scheme"]);
        Assert.DoesNotContain(IngressRules(json), r => r.Rule["CidrIp"] is JsonValue);
        Assert.DoesNotContain(json.Services(), s => s.Name == "api-simulator");
        Assert.Equal("https://api.surgicase.example/", (string?)json.Service("scheduler-service").Environment["SurgiCaseApi__BaseAddress"]);
        Assert.Equal("https://ops.surgicase.example/", (string?)json.Service("notification-service").Environment["Notifications__OperationsPageUrl"]);
    }

    [Fact]
    public void The_listener_is_https_on_443_with_the_context_certificate_forwarding_to_the_scheduler_health_checked_on_health()
    {
        var template = SynthesizedStack.Default.Template;
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 1);
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["Certificates"] = new object[]
            {
                new Dictionary<string, object> { ["CertificateArn"] = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" },
            },
        });
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::TargetGroup", new Dictionary<string, object>
        {
            ["Port"] = 8080,
            ["TargetType"] = "ip",
            ["HealthCheckPath"] = "/health",
            ["Matcher"] = new Dictionary<string, object> { ["HttpCode"] = "200" },
            // No stickiness: the scheduler tasks share one key ring, so any task reads any session cookie.
            ["TargetGroupAttributes"] = Match.Not(Match.ArrayWith([new Dictionary<string, object> { ["Key"] = "stickiness.enabled", ["Value"] = "true" }])),
        });
        var targets = Json.Service("scheduler-service").Service["Properties"]!["LoadBalancers"]!.AsArray();
        Assert.Equal(8080, (int)Assert.Single(targets)!["ContainerPort"]!);
        Assert.All(Json.Services().Where(s => s.Name != "scheduler-service"), s => Assert.Null(s.Service["Properties"]!["LoadBalancers"]));
    }

    [Fact]
    public void The_database_is_private_encrypted_backed_up_postgresql_15()
    {
        SynthesizedStack.Default.Template.HasResourceProperties("AWS::RDS::DBInstance", new Dictionary<string, object>
        {
            ["Engine"] = "postgres",
            ["EngineVersion"] = Match.StringLikeRegexp("^15"),
            ["PubliclyAccessible"] = false,
            ["StorageEncrypted"] = true,
            ["BackupRetentionPeriod"] = 7,
            ["DeletionProtection"] = true,
            ["DBName"] = "surgicase",
        });
        var subnetGroup = Json.Resources("AWS::RDS::DBSubnetGroup").Single().Resource["Properties"]!["SubnetIds"]!.AsArray();
        Assert.All(subnetGroup, s => Assert.Contains("database", (string)s!["Ref"]!, StringComparison.Ordinal));
    }

    /// <summary>Ingress rules written inline in security groups and as separate resources, with the group they open.</summary>
    private static IEnumerable<(string GroupId, JsonObject Rule)> IngressRules(TemplateJson json) =>
        json.Resources("AWS::EC2::SecurityGroup")
            .SelectMany(g => (g.Resource["Properties"]!["SecurityGroupIngress"]?.AsArray() ?? []).Select(r => (g.Id, r!.AsObject())))
            .Concat(json.Resources("AWS::EC2::SecurityGroupIngress")
                .Select(r => ((string)r.Resource["Properties"]!["GroupId"]!["Fn::GetAtt"]![0]!, r.Resource["Properties"]!.AsObject())));
}
