using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// Least privilege, statement by statement: each task role holds exactly what its service's code calls (and its
/// collector), no action is a wildcard, and Resource "*" appears only where AWS offers nothing narrower.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class IamTests
{
    private static readonly TemplateJson Json = SynthesizedStack.Default.Json;

    /// <summary>The only actions AWS authorizes on Resource "*" alone, and why they are here.</summary>
    private static readonly HashSet<string> StarOnlyActions = new(StringComparer.Ordinal)
    {
        "ecr:GetAuthorizationToken", // ECS pulling the images (execution roles)
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets", // the collectors
    };

    [Fact]
    public void The_scheduler_may_only_send_to_the_queue()
    {
        AssertTaskRole("scheduler-service",
            Statement(["sqs:GetQueueUrl", "sqs:SendMessage"], Arn(QueueId)));
    }

    [Fact]
    public void The_notification_service_may_consume_dead_letter_and_send_email_from_its_identity_only()
    {
        AssertTaskRole("notification-service",
            Statement(["sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"], Arn(QueueId)),
            Statement(["sqs:GetQueueUrl", "sqs:SendMessage", "sqs:GetQueueAttributes"], Arn(DeadLetterQueueId)),
            Statement(["ses:SendEmail"], new JsonArray(RegionalArn("ses", "identity/alerts@surgicase.example"), RegionalArn("ses", "configuration-set/surgicase-production-alerts"))));
    }

    [Fact]
    public void The_secrets_service_may_only_read_the_application_secrets_it_serves_by_arn_and_publish_its_warming_alert()
    {
        // Each secret it is configured with (warmed, or allowed to a caller), by its own ARN: no prefix wildcard.
        // In the order of the policy: the warmed names (Secrets__SecretNames__0…8), then any allowed name not among them.
        var environment = Json.Service("secrets-service").Environment;
        var served = environment
            .Where(e => e.Key.StartsWith("Secrets__SecretNames__", StringComparison.Ordinal))
            .OrderBy(e => int.Parse(e.Key["Secrets__SecretNames__".Length..], System.Globalization.CultureInfo.InvariantCulture))
            .Concat(environment.Where(e => e.Key.Contains("__AllowedSecrets__", StringComparison.Ordinal)))
            .Select(e => (string)e.Value!).Distinct().ToList();
        Assert.Equal(9, served.Count);
        var arns = new JsonArray([.. served.Select(name => new JsonObject { ["Ref"] = Json.IdOf("AWS::SecretsManager::Secret", "Name", name) })]);

        AssertTaskRole("secrets-service",
            Statement(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], arns),
            Statement(["sqs:GetQueueUrl", "sqs:SendMessage"], Arn(QueueId)));
        Assert.DoesNotContain(AllStatements(Json), s => TemplateJson.Canonical(s["Resource"]).Contains("secret:surgicase/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_notification_service_may_not_read_the_smtp_login_it_never_uses()
    {
        var allowed = Json.Service("secrets-service").Environment
            .Where(e => e.Key.StartsWith("Secrets__Callers__notification-service__AllowedSecrets__", StringComparison.Ordinal))
            .Select(e => (string?)e.Value).Order();

        Assert.Equal(["surgicase/production/main", "surgicase/production/slack"], allowed);
    }

    [Fact]
    public void The_api_simulator_may_call_nothing_but_its_collector()
    {
        AssertTaskRole("api-simulator");
    }

    [Fact]
    public void An_execution_role_reads_only_the_secrets_its_task_injects()
    {
        foreach (var service in Json.Services())
        {
            var injected = service.Secrets.Values
                .Select(v => TemplateJson.Canonical(v is JsonObject { } o && o.ContainsKey("Fn::Join") ? o["Fn::Join"]![1]![0] : v))
                .ToHashSet(StringComparer.Ordinal);
            var readable = StatementsOf(service.ExecutionRoleId)
                .Where(s => TemplateJson.AsList(s["Action"]).Any(a => ((string?)a)!.StartsWith("secretsmanager:", StringComparison.Ordinal)))
                .Select(s => TemplateJson.Canonical(s["Resource"]))
                .ToHashSet(StringComparer.Ordinal);

            Assert.Equal(injected.Order(), readable.Order());
        }
    }

    [Fact]
    public void No_allowed_action_anywhere_has_a_wildcard()
    {
        var statements = AllStatements(Json, withKeyPolicies: true).ToList();
        Assert.NotEmpty(statements);
        // Exclusions are wildcards in disguise: never used.
        Assert.DoesNotContain(statements, s => s.ContainsKey("NotAction") || s.ContainsKey("NotResource") || s.ContainsKey("NotPrincipal"));

        var allowed = statements.Where(s => (string?)s["Effect"] == "Allow").Where(s => !IsKeyPolicyDelegationToIam(s)).ToList();
        var actions = allowed.SelectMany(s => TemplateJson.AsList(s["Action"])).Select(a => (string)a!).ToList();
        Assert.NotEmpty(actions);
        Assert.DoesNotContain(actions, a => a.Contains('*', StringComparison.Ordinal));

        // A wildcard is only ever denied, and only for requests without TLS.
        var denied = statements.Where(s => (string?)s["Effect"] == "Deny").ToList();
        Assert.NotEmpty(denied);
        Assert.All(denied, s => Assert.Equal("false", (string?)s["Condition"]!["Bool"]!["aws:SecureTransport"]));
    }

    [Fact]
    public void The_one_wildcard_allowed_is_the_alarm_keys_delegation_to_the_accounts_iam()
    {
        // AWS's default key policy: the account root may do everything with the key, which hands its use to IAM
        // policies (there are none for this key) and keeps the key manageable. No other principal gets a wildcard.
        var keyPolicy = Json.Resources("AWS::KMS::Key").Single().Resource["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray()
            .Select(s => s!.AsObject()).ToList();
        var delegation = Assert.Single(keyPolicy, IsKeyPolicyDelegationToIam);
        Assert.Equal("kms:*", (string?)delegation["Action"]);
        var cloudWatch = Assert.Single(keyPolicy, s => !IsKeyPolicyDelegationToIam(s));
        Assert.Equal("cloudwatch.amazonaws.com", (string?)cloudWatch["Principal"]!["Service"]);
        Assert.Equal(["kms:Decrypt", "kms:GenerateDataKey"], TemplateJson.AsList(cloudWatch["Action"]).Select(a => (string)a!));
        Assert.Single(AllStatements(Json, withKeyPolicies: true), s => (string?)s["Effect"] == "Allow" && TemplateJson.AsList(s["Action"]).Any(a => ((string)a!).Contains('*', StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("secrets-service")]
    [InlineData("scheduler-service")]
    [InlineData("notification-service")]
    [InlineData("api-simulator")]
    public void An_execution_role_pulls_its_two_images_writes_its_log_group_and_reads_its_injected_secrets_only(string name)
    {
        var service = Json.Service(name);
        var logGroups = service.Containers.Select(c => (string)c["LogConfiguration"]!["Options"]!["awslogs-group"]!["Ref"]!).Distinct().ToList();
        var secrets = service.Secrets.Values
            .Select(v => v is JsonObject o && o.ContainsKey("Fn::Join") ? o["Fn::Join"]![1]![0]! : v!)
            .Select(TemplateJson.Canonical).Distinct()
            .Select(reference => Statement(["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], JsonNode.Parse(reference)!));
        var expected = new[]
            {
                Statement(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], RegionalArn("ecr", $"repository/surgicase/{name}")),
                Statement(["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"], RegionalArn("ecr", "repository/surgicase/aws-otel-collector")),
                Statement(["ecr:GetAuthorizationToken"], JsonValue.Create("*")),
            }
            .Concat(logGroups.Select(g => Statement(["logs:CreateLogStream", "logs:PutLogEvents"], Arn(g))))
            .Concat(secrets)
            .Select(TemplateJson.Canonical).Order().ToList();

        var actual = StatementsOf(service.ExecutionRoleId).Select(TemplateJson.Canonical).Order().ToList();

        Assert.Equal(expected, actual);
        Assert.Single(logGroups);
        Assert.NotEmpty(service.Secrets);
        var role = Json.PropertiesOf(service.ExecutionRoleId);
        Assert.Null(role["ManagedPolicyArns"]);
        Assert.Null(role["Policies"]);
    }

    private static bool IsKeyPolicyDelegationToIam(JsonObject statement) =>
        TemplateJson.Canonical(statement["Principal"]).Contains(":root", StringComparison.Ordinal)
        && (string?)statement["Action"] == "kms:*";

    [Fact]
    public void Resource_star_only_where_aws_allows_nothing_narrower()
    {
        var onStar = AllStatements(Json)
            .Where(s => TemplateJson.AsList(s["Resource"]).Any(r => (string?)(r as JsonValue) == "*"))
            .SelectMany(s => TemplateJson.AsList(s["Action"]).Select(a => (string)a!))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Subset(StarOnlyActions, onStar);
    }

    [Fact]
    public void Ecs_exec_is_off_unless_asked_for_and_then_adds_only_its_channel()
    {
        string[] channel = ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"];
        Assert.All(Json.Services(), s => Assert.False((bool?)s.Service["Properties"]!["EnableExecuteCommand"] ?? false));
        Assert.DoesNotContain(AllStatements(Json), s => TemplateJson.Canonical(s).Contains("ssmmessages", StringComparison.Ordinal));

        var exec = SynthesizedStack.InternalWithApi.Json;
        Assert.All(exec.Services(), s => Assert.True((bool)s.Service["Properties"]!["EnableExecuteCommand"]!));
        var onStar = AllStatements(exec)
            .Where(s => TemplateJson.AsList(s["Resource"]).Any(r => (string?)(r as JsonValue) == "*"))
            .SelectMany(s => TemplateJson.AsList(s["Action"]).Select(a => (string)a!))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Subset(StarOnlyActions.Concat(channel).ToHashSet(StringComparer.Ordinal), onStar);
        Assert.Superset(channel.ToHashSet(StringComparer.Ordinal), onStar);
        Assert.Contains(exec.Resources("AWS::EC2::VPCEndpoint"),
            e => TemplateJson.Canonical(e.Resource["Properties"]!["ServiceName"]).Contains(".ssmmessages", StringComparison.Ordinal));
    }

    private static string QueueId => Json.IdOf("AWS::SQS::Queue", "QueueName", "surgicase-production-job-events");

    private static string DeadLetterQueueId => Json.IdOf("AWS::SQS::Queue", "QueueName", "surgicase-production-job-events-dlq");

    private static string MetricsLogGroupId => Json.IdOf("AWS::Logs::LogGroup", "LogGroupName", "/surgicase/metrics/production");

    private static void AssertTaskRole(string service, params JsonObject[] own)
    {
        var collector = new[]
        {
            Statement(["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"], JsonValue.Create("*")),
            Statement(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Arn(MetricsLogGroupId)),
        };
        var expected = own.Concat(collector).Select(TemplateJson.Canonical).Order();

        var actual = StatementsOf(Json.Service(service).TaskRoleId).Select(TemplateJson.Canonical).Order();

        Assert.Equal(expected, actual);
        // Nothing attached beside the policy the stack writes: no managed policies, no inline policies on the role.
        var role = Json.PropertiesOf(Json.Service(service).TaskRoleId);
        Assert.Null(role["ManagedPolicyArns"]);
        Assert.Null(role["Policies"]);
    }

    private static IEnumerable<JsonObject> StatementsOf(string roleId) =>
        Json.Resources("AWS::IAM::Policy")
            .Where(p => p.Resource["Properties"]!["Roles"]!.AsArray().Any(r => (string?)r!["Ref"] == roleId))
            .SelectMany(p => p.Resource["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));

    /// <summary>Every statement of an IAM or resource policy, key policies included when asked for.</summary>
    private static IEnumerable<JsonObject> AllStatements(TemplateJson json, bool withKeyPolicies = false) =>
        json.Walk()
            .Where(n => n.Path.EndsWith(".PolicyDocument", StringComparison.Ordinal)
                || (withKeyPolicies && n.Path.EndsWith(".KeyPolicy", StringComparison.Ordinal)))
            .SelectMany(n => n.Value!["Statement"]!.AsArray().Select(s => s!.AsObject()));

    private static JsonObject Statement(string[] actions, JsonNode resource) => new()
    {
        ["Action"] = actions.Length == 1 ? JsonValue.Create(actions[0]) : new JsonArray([.. actions.Select(a => JsonValue.Create(a))]),
        ["Effect"] = "Allow",
        ["Resource"] = resource,
    };

    private static JsonObject Arn(string logicalId) => new() { ["Fn::GetAtt"] = new JsonArray(logicalId, "Arn") };

    /// <summary>An ARN in the stack's region (known at synthesis: ci.context.json's eu-west-1) and account.</summary>
    private static JsonObject RegionalArn(string service, string resource) => new()
    {
        ["Fn::Join"] = new JsonArray("", new JsonArray(
            "arn:", new JsonObject { ["Ref"] = "AWS::Partition" }, $":{service}:eu-west-1:",
            new JsonObject { ["Ref"] = "AWS::AccountId" }, $":{resource}")),
    };
}
