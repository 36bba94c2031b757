using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// The alarms on what AWS runs (database, SES reputation), the stale-secrets alarm, and the deployment alarms that
/// roll an ECS deployment back.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class PlatformAlarmTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    [Fact]
    public void The_database_alarms_on_cpu_storage_and_connections()
    {
        var instance = Json.Resources("AWS::RDS::DBInstance").Single().Id;
        var cpu = Alarm("surgicase-production-database-cpu-above-80-percent");
        var storage = Alarm("surgicase-production-database-free-storage-below-2-gib");
        // 80 % of a t4g.small's max_connections (2 GiB / 9531392 = 225).
        var connections = Alarm("surgicase-production-database-connections-above-180");

        Assert.Equal(("CPUUtilization", 80d, "GreaterThanThreshold"), Condition(cpu));
        Assert.Equal(("FreeStorageSpace", 2d * 1024 * 1024 * 1024, "LessThanThreshold"), Condition(storage));
        Assert.Equal(("DatabaseConnections", 180d, "GreaterThanThreshold"), Condition(connections));
        Assert.All(new[] { cpu, storage, connections }, a =>
        {
            Assert.Equal("AWS/RDS", (string?)a["Namespace"]);
            Assert.Equal(instance, (string?)Assert.Single(a["Dimensions"]!.AsArray())!["Value"]!["Ref"]);
        });
    }

    [Fact]
    public void Ses_bounce_and_complaint_rates_alarm_at_the_review_levels_of_the_configuration_set()
    {
        var configurationSet = Json.Resources("AWS::SES::ConfigurationSet").Single();
        Assert.True((bool)configurationSet.Resource["Properties"]!["ReputationOptions"]!["ReputationMetricsEnabled"]!);
        var bounce = Alarm("surgicase-production-ses-bounce-rate-above-5-percent");
        var complaint = Alarm("surgicase-production-ses-complaint-rate-above-0.1-percent");

        Assert.Equal(("Reputation.BounceRate", 0.05, "GreaterThanThreshold"), Condition(bounce));
        Assert.Equal(("Reputation.ComplaintRate", 0.001, "GreaterThanThreshold"), Condition(complaint));
        Assert.All(new[] { bounce, complaint }, a =>
        {
            Assert.Equal("AWS/SES", (string?)a["Namespace"]);
            var dimension = Assert.Single(a["Dimensions"]!.AsArray())!;
            Assert.Equal("ses:configuration-set", (string?)dimension["Name"]);
            Assert.Equal(configurationSet.Id, (string?)dimension["Value"]!["Ref"]);
        });
    }

    [Fact]
    public void Secrets_served_stale_for_more_than_an_hour_alarm()
    {
        var stale = Alarm("surgicase-production-secrets-served-stale-over-1-hour");

        Assert.Equal(("surgicase.secrets.oldest_stale_age", 3600d, "GreaterThanThreshold"), Condition(stale));
        Assert.Equal("SurgiCase", (string?)stale["Namespace"]);
        Assert.Equal("notBreaching", (string?)stale["TreatMissingData"]);
        var dimensions = stale["Dimensions"]!.AsArray().ToDictionary(d => (string)d!["Name"]!, d => (string?)d!["Value"]);
        Assert.Equal("production", dimensions["deployment.environment"]);
        Assert.Equal("secrets-service", dimensions["service.name"]);
    }

    [Theory]
    [InlineData("secrets-service", "surgicase-production-secrets-breaker-open")]
    [InlineData("notification-service", "surgicase-production-notification-failures")]
    [InlineData("scheduler-service", "surgicase-production-scheduler-targets-unhealthy")]
    public void A_deployment_rolls_back_while_its_alarm_fires_and_the_alarm_exists_first(string service, string alarmName)
    {
        var deployed = Json.Service(service);
        var alarms = deployed.Service["Properties"]!["DeploymentConfiguration"]!["Alarms"]!;

        Assert.True((bool)alarms["Enable"]!);
        Assert.True((bool)alarms["Rollback"]!);
        Assert.Equal([alarmName], alarms["AlarmNames"]!.AsArray().Select(a => (string?)a));
        var alarmId = Assert.Single(Json.Resources("AWS::CloudWatch::Alarm"), a => (string?)a.Resource["Properties"]!["AlarmName"] == alarmName).Id;
        Assert.Contains(alarmId, deployed.Service["DependsOn"]!.AsArray().Select(d => (string?)d));
        // A first deployment has no data yet: missing data must not roll it back.
        Assert.Equal("notBreaching", (string?)Alarm(alarmName)["TreatMissingData"]);
    }

    [Fact]
    public void The_scheduler_readiness_alarm_watches_the_load_balancers_health_check_on_health()
    {
        var unhealthy = Alarm("surgicase-production-scheduler-targets-unhealthy");
        Assert.Equal(("UnHealthyHostCount", 0d, "GreaterThanThreshold"), Condition(unhealthy));
        var group = Json.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").Single();
        Assert.Equal("/health", (string?)group.Resource["Properties"]!["HealthCheckPath"]);
        Assert.Contains(group.Id, TemplateJson.Canonical(unhealthy["Dimensions"]), StringComparison.Ordinal);
    }

    private static (string?, double, string?) Condition(JsonObject alarm) =>
        ((string?)alarm["MetricName"], (double)alarm["Threshold"]!, (string?)alarm["ComparisonOperator"]);

    private static JsonObject Alarm(string name) =>
        Assert.Single(Json.Resources("AWS::CloudWatch::Alarm"), a => (string?)a.Resource["Properties"]!["AlarmName"] == name).Resource["Properties"]!.AsObject();
}
