using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SurgiCase.Testing;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Issue 18.6's task findings: read-only root file systems with a writable /tmp, egress limited to what each service
/// calls, the collector pinned by digest, and task roles only ECS tasks of this account and region may assume.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TaskHardeningTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void Every_container_has_a_read_only_root_and_its_own_ephemeral_tmp()
    {
        foreach (var service in Json.Services())
        {
            var volumes = service.TaskDefinition["Properties"]!["Volumes"]!.AsArray().Select(v => v!.AsObject()).ToList();
            // Task-scoped scratch space: no host path, no EFS.
            Assert.All(volumes, v => Assert.Equal(["Name"], v.Select(p => p.Key)));
            Assert.Equal(2, service.Containers.Count);
            foreach (var container in service.Containers)
            {
                Assert.True((bool?)container["ReadonlyRootFilesystem"], $"{service.Name}/{container["Name"]} has a writable root");
                var mount = Assert.Single(container["MountPoints"]!.AsArray())!;
                Assert.Equal("/tmp", (string?)mount["ContainerPath"]);
                Assert.False((bool)mount["ReadOnly"]!);
                Assert.Contains(volumes, v => (string?)v["Name"] == (string?)mount["SourceVolume"]);
            }

            Assert.Equal(2, service.Containers.Select(c => (string?)c["MountPoints"]![0]!["SourceVolume"]).Distinct().Count());
        }
    }

    [Fact]
    public void No_security_group_sends_everything_everywhere()
    {
        foreach (var json in new[] { Json, SynthesizedStack.InternalWithApi.Json })
        {
            var egress = EgressRules(json).ToList();
            Assert.NotEmpty(egress);
            Assert.DoesNotContain(egress, r => (string?)r.Rule["IpProtocol"] == "-1");
            // The one rule to addresses outside a security group: HTTPS, from the service tasks and the database setup
            // task (docs/security.md).
            var toAddresses = egress.Where(r => r.Rule["CidrIp"] is JsonValue && (string?)r.Rule["CidrIp"] != "255.255.255.255/32").ToList();
            Assert.All(toAddresses, r =>
            {
                Assert.Equal("0.0.0.0/0", (string?)r.Rule["CidrIp"]);
                Assert.Equal(443, (int)r.Rule["FromPort"]!);
                Assert.Equal(443, (int)r.Rule["ToPort"]!);
            });
            var serviceGroups = json.Services().Select(GroupOf).Append(SetupGroup(json)).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(serviceGroups.Order(), toAddresses.Select(r => r.GroupId).Order());
        }
    }

    [Fact]
    public void Each_service_may_call_only_the_database_and_the_services_it_calls()
    {
        var names = Json.Services().ToDictionary(GroupOf, s => s.Name);
        names[GroupOf(Json.Resources("AWS::RDS::DBInstance").Single().Resource["Properties"]!["VPCSecurityGroups"]![0]!)] = "database";
        names[SetupGroup(Json)] = "database-setup";
        names[GroupOf(Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!["SecurityGroups"]![0]!)] = "load-balancer";

        var pairs = EgressRules(Json)
            .Where(r => r.Rule["DestinationSecurityGroupId"] is not null)
            .Select(r => $"{names[r.GroupId]} -> {names[GroupOf(r.Rule["DestinationSecurityGroupId"]!)]}:{(int)r.Rule["FromPort"]!}")
            .Order();

        // Exactly the calls each group admits (NetworkTests): nothing leaves that no one expects.
        Assert.Equal(NetworkTests.KnownCalls, pairs);
        // The database and the endpoints answer; they call nothing (CDK's "disallow all" placeholder only).
        var quiet = Json.Resources("AWS::EC2::SecurityGroup").Where(g => g.Id.Contains("Endpoint", StringComparison.Ordinal) || (g.Id.StartsWith("Database", StringComparison.Ordinal) && !g.Id.StartsWith("DatabaseSetup", StringComparison.Ordinal))).ToList();
        Assert.Equal(8, quiet.Count);
        Assert.All(quiet, g => Assert.Equal("255.255.255.255/32", (string?)Assert.Single(g.Resource["Properties"]!["SecurityGroupEgress"]!.AsArray())!["CidrIp"]));
    }

    /// <summary>The one-shot database setup task's security group (DatabaseSetup.cs).</summary>
    private static string SetupGroup(TemplateJson json) =>
        Assert.Single(json.Resources("AWS::EC2::SecurityGroup"), g => g.Id.StartsWith("DatabaseSetupSecurityGroup", StringComparison.Ordinal)).Id;

    [Fact]
    public void An_api_on_another_port_is_reachable_at_its_address_only()
    {
        var json = SynthesizedStack.With(new Dictionary<string, object> { ["surgicaseApiBaseAddress"] = "http://10.1.2.3:8443/" }).Json;
        var scheduler = GroupOf(json.Service("scheduler-service").Service["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]![0]!);

        var api = Assert.Single(EgressRules(json), r => r.GroupId == scheduler && (string?)r.Rule["CidrIp"] == "10.1.2.3/32").Rule;

        Assert.Equal(8443, (int)api["FromPort"]!);
        Assert.Equal(8443, (int)api["ToPort"]!);
    }

    [Fact]
    public void The_collector_is_pulled_by_the_digest_step_1_copies()
    {
        var script = File.ReadAllText(RepositoryFolder.Path("deploy", "push-images.sh"));
        var pinned = Regex.Match(script, @"^collector_digest=(sha256:[0-9a-f]{64})$", RegexOptions.Multiline).Groups[1].Value;
        Assert.NotEmpty(pinned);

        foreach (var service in Json.Services())
        {
            var image = TemplateJson.Canonical(service.Container("otel-collector")["Image"]);
            Assert.EndsWith($"/surgicase/aws-otel-collector@{pinned}\"]]}}", image, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_task_role_trusts_only_ecs_tasks_of_this_account_and_region()
    {
        foreach (var json in new[] { Json, SynthesizedStack.InternalWithApi.Json })
        {
            foreach (var service in json.Services())
            {
                var trust = Assert.Single(json.PropertiesOf(service.TaskRoleId)["AssumeRolePolicyDocument"]!["Statement"]!.AsArray())!;
                Assert.Equal("ecs-tasks.amazonaws.com", (string?)trust["Principal"]!["Service"]);
                Assert.Equal("{\"Ref\":\"AWS::AccountId\"}", TemplateJson.Canonical(trust["Condition"]!["StringEquals"]!["aws:SourceAccount"]));
                Assert.Equal(
                    "{\"Fn::Join\":[\"\",[\"arn:\",{\"Ref\":\"AWS::Partition\"},\":ecs:eu-west-1:\",{\"Ref\":\"AWS::AccountId\"},\":*\"]]}",
                    TemplateJson.Canonical(trust["Condition"]!["ArnLike"]!["aws:SourceArn"]));
            }
        }
    }

    private static string GroupOf(DeployedService service) =>
        GroupOf(service.Service["Properties"]!["NetworkConfiguration"]!["AwsvpcConfiguration"]!["SecurityGroups"]![0]!);

    private static string GroupOf(JsonNode reference) => (string)reference["Fn::GetAtt"]![0]!;

    /// <summary>Egress rules written inline in security groups and as separate resources, with the group they belong to.</summary>
    private static IEnumerable<(string GroupId, JsonObject Rule)> EgressRules(TemplateJson json) =>
        json.Resources("AWS::EC2::SecurityGroup")
            .SelectMany(g => (g.Resource["Properties"]!["SecurityGroupEgress"]?.AsArray() ?? []).Select(r => (g.Id, r!.AsObject())))
            .Concat(json.Resources("AWS::EC2::SecurityGroupEgress")
                .Select(r => (GroupOf(r.Resource["Properties"]!["GroupId"]!), r.Resource["Properties"]!.AsObject())));
}
