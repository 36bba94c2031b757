using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// A failed first create can be retried with the same command: what is kept is kept with RetainExceptOnCreate
/// (deleted when the create that made it rolls back, so the retry can create the same name), nothing protects itself
/// from that rollback, and the one plain Retain has no name to collide with.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class RetentionTests
{
    [Fact]
    public void Nothing_is_plainly_retained_but_the_unnamed_access_log_bucket()
    {
        foreach (var json in new[] { SynthesizedStack.Default.Json, SynthesizedStack.Staging.Json })
        {
            var resources = json.Root["Resources"]!.AsObject().Select(r => (Id: r.Key, Resource: r.Value!.AsObject())).ToList();

            var retained = resources.Where(r => (string?)r.Resource["DeletionPolicy"] == "Retain").ToList();
            var bucket = Assert.Single(retained);
            Assert.Equal("AWS::S3::Bucket", (string?)bucket.Resource["Type"]);
            Assert.Contains(bucket.Id, LoadBalancerAccessLogBuckets(json));
            Assert.Null(bucket.Resource["Properties"]!["BucketName"]);

            // UpdateReplacePolicy has no RetainExceptOnCreate; a replacement happens only in an update, never in a
            // first create, so Retain there cannot block a retry. It goes with RetainExceptOnCreate (or the bucket).
            Assert.All(resources.Where(r => (string?)r.Resource["UpdateReplacePolicy"] == "Retain" && r.Id != bucket.Id),
                r => Assert.Equal("RetainExceptOnCreate", (string?)r.Resource["DeletionPolicy"]));
        }
    }

    [Fact]
    public void What_outlives_the_stack_is_kept_except_on_create()
    {
        var json = SynthesizedStack.Default.Json;
        string[] kept =
        [
            "AWS::RDS::DBInstance", "AWS::Logs::LogGroup",
            // The operators and their MFA devices.
            "AWS::Cognito::UserPool",
        ];
        foreach (var type in kept)
        {
            Assert.NotEmpty(json.Resources(type));
            Assert.All(json.Resources(type), r => Assert.Equal("RetainExceptOnCreate", (string?)r.Resource["DeletionPolicy"]));
        }

        // The four tasks' (simulator included), the metrics', the database setup task's and the flow logs'.
        Assert.Equal(7, json.Resources("AWS::Logs::LogGroup").Count());
        var dlq = json.Resource(json.IdOf("AWS::SQS::Queue", "QueueName", "surgicase-production-job-events-dlq"));
        Assert.Equal("RetainExceptOnCreate", (string?)dlq["DeletionPolicy"]);
        // The application secrets (values a person set) and the database login go with the database.
        var secrets = json.Resources("AWS::SecretsManager::Secret")
            .Where(s => ((string)s.Resource["Properties"]!["Name"]!).StartsWith("surgicase/production/", StringComparison.Ordinal)
                || (string?)s.Resource["Properties"]!["Name"] == "surgicase-internal/production/database-login")
            .ToList();
        Assert.Equal(10, secrets.Count);
        Assert.All(secrets, s => Assert.Equal("RetainExceptOnCreate", (string?)s.Resource["DeletionPolicy"]));
        // A database replacement snapshots the old instance.
        Assert.Equal("Snapshot", (string?)json.Resources("AWS::RDS::DBInstance").Single().Resource["UpdateReplacePolicy"]);
    }

    [Fact]
    public void The_database_does_not_protect_itself_from_a_first_create_rollback_unless_asked()
    {
        var instance = SynthesizedStack.Default.Json.Resources("AWS::RDS::DBInstance").Single().Resource["Properties"]!;
        Assert.False((bool)instance["DeletionProtection"]!);
        var load = SynthesizedStack.Default.Json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer").Single().Resource["Properties"]!;
        Assert.Contains(load["LoadBalancerAttributes"]!.AsArray(),
            a => (string?)a!["Key"] == "deletion_protection.enabled" && (string?)a["Value"] == "false");
    }

    /// <summary>The buckets a load balancer writes its access logs to.</summary>
    private static IEnumerable<string> LoadBalancerAccessLogBuckets(TemplateJson json) =>
        json.Resources("AWS::ElasticLoadBalancingV2::LoadBalancer")
            .SelectMany(l => l.Resource["Properties"]!["LoadBalancerAttributes"]!.AsArray())
            .Where(a => (string?)a!["Key"] == "access_logs.s3.bucket")
            .Select(a => (string)a!["Value"]!["Ref"]!);
}
