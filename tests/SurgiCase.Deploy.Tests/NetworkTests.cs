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
            // The region is known at synthesis, so the name is literal: com.amazonaws.<region>.<service>.
            .Where(e => (e.Resource["Properties"]!["ServiceName"] as JsonValue)?.GetValue<string>() == $"com.amazonaws.eu-west-1.{service}")
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
    public void Only_the_load_balancer_on_443_and_its_redirecting_80_is_open_to_addresses_outside_the_vpc()
    {
        var albGroup = (string)Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single()
            .Resource["Properties"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!;

        var cidrRules = IngressRules(Json).Where(r => r.Rule["CidrIp"] is not null).ToList();

        var outside = cidrRules.Where(r => (string?)(r.Rule["CidrIp"] as JsonValue) != VpcCidr).ToList();
        Assert.Equal(2, outside.Count);
        Assert.All(outside, r =>
        {
            Assert.Equal(albGroup, r.GroupId);
            Assert.Equal("0.0.0.0/0", (string?)r.Rule["CidrIp"]);
            Assert.Equal(r.Rule["FromPort"]!.ToJsonString(), r.Rule["ToPort"]!.ToJsonString());
        });
        Assert.Equal([80, 443], outside.Select(r => (int)r.Rule["FromPort"]!).Order());
        // Port 80 only answers with a redirect to 443; nothing is served over plain HTTP.
        var http = Assert.Single(Json.Resources("AWS::ElasticLoadBalancingV2::Listener"), l => (int)l.Resource["Properties"]!["Port"]! == 80).Resource["Properties"]!;
        var redirect = Assert.Single(http["DefaultActions"]!.AsArray())!;
        Assert.Equal("redirect", (string?)redirect["Type"]);
        Assert.Equal("HTTPS", (string?)redirect["RedirectConfig"]!["Protocol"]);
        Assert.Equal("443", (string?)redirect["RedirectConfig"]!["Port"]);
        Assert.Equal("HTTP_301", (string?)redirect["RedirectConfig"]!["StatusCode"]);
        // Every other address rule is the endpoints' HTTPS from inside the VPC.
        var inside = cidrRules.Except(outside).ToList();
        Assert.Equal(7, inside.Count);
        Assert.All(inside, r =>
        {
            Assert.Contains("Endpoint", r.GroupId, StringComparison.Ordinal);
            Assert.Equal(443, (int)r.Rule["FromPort"]!);
            Assert.Equal(443, (int)r.Rule["ToPort"]!);
        });
    }

    private const string VpcCidr = "10.0.0.0/16";

    [Fact]
    public void Each_service_accepts_only_its_known_callers()
    {
        var groups = Json.Services().ToDictionary(
            s => (string)s.Service["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!,
            s => s.Name);
        groups[(string)Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["SecurityGroups"]![0]!["Fn::GetAtt"]![0]!] = "load-balancer";
        groups[(string)Json.Resources("AWS::RDS::DBInstance").Single().Resource["Properties"]!["VPCSecurityGroups"]![0]!["Fn::GetAtt"]![0]!] = "database";
        groups[Json.IdOf("AWS::EC2::SecurityGroup", "GroupDescription", "Database setup task")] = "database-setup";

        var pairs = IngressRules(Json)
            .Where(r => r.Rule["SourceSecurityGroupId"] is not null)
            .Select(r => $"{groups[(string)r.Rule["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!]} -> {groups[r.GroupId]}:{(int)r.Rule["FromPort"]!}")
            .Order();

        Assert.Equal(KnownCalls, pairs);
    }

    /// <summary>Who calls whom on which port: what each group admits, and (TaskHardeningTests) what each group may send.</summary>
    internal static readonly string[] KnownCalls =
    [
        "database-setup -> database:5432",
        "load-balancer -> scheduler-service:8080",
        "notification-service -> database:5432",
        "notification-service -> secrets-service:8080",
        "scheduler-service -> api-simulator:8080",
        "scheduler-service -> database:5432",
        "scheduler-service -> notification-service:8080",
        "scheduler-service -> secrets-service:8080",
        "secrets-service -> database:5432",
    ];

    [Fact]
    public void The_internal_variant_accepts_https_from_the_vpc_only()
    {
        var json = SynthesizedStack.InternalWithApi.Json;
        var alb = json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!;

        Assert.Equal("internal", (string?)alb["Scheme"]);
        // Every address rule names the VPC's own range: literally (the endpoints) or as the VPC's CidrBlock (the ALB).
        var cidrRules = IngressRules(json).Where(r => r.Rule["CidrIp"] is not null).ToList();
        Assert.NotEmpty(cidrRules);
        Assert.All(cidrRules, r => Assert.True(
            (string?)(r.Rule["CidrIp"] as JsonValue) == VpcCidr || TemplateJson.Canonical(r.Rule["CidrIp"]).Contains("\"CidrBlock\"", StringComparison.Ordinal),
            TemplateJson.Canonical(r.Rule["CidrIp"])));
        Assert.DoesNotContain(json.Services(), s => s.Name == "api-simulator");
        Assert.Equal("https://api.surgicase.example/", (string?)json.Service("scheduler-service").Environment["SurgiCaseApi__BaseAddress"]);
        Assert.Equal("https://ops.surgicase.example/", (string?)json.Service("notification-service").Environment["Notifications__OperationsPageUrl"]);
    }

    [Fact]
    public void The_listener_is_https_on_443_with_the_context_certificate_forwarding_to_the_scheduler_health_checked_on_health()
    {
        var template = SynthesizedStack.Default.Template;
        // HTTPS on 443 and the redirect on 80 (Only_the_load_balancer_on_443_and_its_redirecting_80_...).
        template.ResourceCountIs("AWS::ElasticLoadBalancingV2::Listener", 2);
        template.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", new Dictionary<string, object>
        {
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["Certificates"] = new object[]
            {
                new Dictionary<string, object> { ["CertificateArn"] = "arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000000" },
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
    public void The_database_is_private_encrypted_backed_up_postgresql_16_or_17()
    {
        // A major RDS still creates (15 is deprecated for new instances), as a full version: a major alone is an alias.
        SynthesizedStack.Default.Template.HasResourceProperties("AWS::RDS::DBInstance", new Dictionary<string, object>
        {
            ["Engine"] = "postgres",
            ["EngineVersion"] = Match.StringLikeRegexp("^1[67]\\.[0-9]+$"),
            ["PubliclyAccessible"] = false,
            ["StorageEncrypted"] = true,
            ["BackupRetentionPeriod"] = 7,
            // Off by default so a failed first create can roll back (RetainExceptOnCreate guards later deletes);
            // the key turns it on.
            ["DeletionProtection"] = false,
            ["DBName"] = "surgicase",
        });
        SynthesizedStack.With(new Dictionary<string, object> { ["databaseDeletionProtection"] = "true" }).Template
            .HasResourceProperties("AWS::RDS::DBInstance", new Dictionary<string, object> { ["DeletionProtection"] = true });
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
