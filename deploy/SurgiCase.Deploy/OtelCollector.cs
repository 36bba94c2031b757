using Amazon.CDK;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;

namespace SurgiCase.Deploy;

/// <summary>
/// The AWS Distro for OpenTelemetry collector that runs beside every service: the service exports OTLP to it on
/// localhost, it sends traces to X-Ray and metrics to CloudWatch (as embedded-metric-format log events in
/// <see cref="MetricsLogGroupName"/>, the namespace <see cref="Names.MetricsNamespace"/>, dimension service.name).
/// </summary>
internal static class OtelCollector
{
    public const string ContainerName = "otel-collector";

    public const string MetricsLogGroupName = "/surgicase/metrics";

    /// <summary>What the service's OTLP exporter points at (gRPC; the task's containers share localhost).</summary>
    public const string OtlpEndpoint = "http://localhost:4317";

    /// <summary>
    /// ECR Public is not reachable through VPC endpoints, so the image comes through an ECR pull-through cache
    /// rule with this prefix (created by the stack): the first pull copies it into the account's registry.
    /// </summary>
    public const string PullThroughPrefix = "ecr-public";

    public const string ImageRepository = "aws-observability/aws-otel-collector";

    /// <summary>X-Ray's write and sampling actions take no resource narrower than "*".</summary>
    public static readonly IReadOnlyList<string> XRayActions =
        ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"];

    public static readonly IReadOnlyList<string> MetricsLogActions =
        ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

    public static string CachedRepositoryName => $"{PullThroughPrefix}/{ImageRepository}";

    public static ContainerDefinition AddTo(
        FargateTaskDefinition task, DeploymentSettings settings, ILogGroup logGroup, ILogGroup metricsLogGroup)
    {
        var stack = Stack.Of(task);
        var image = $"{stack.Account}.dkr.ecr.{stack.Region}.{stack.UrlSuffix}/{CachedRepositoryName}:{settings.AdotVersion}";
        var container = task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = ContainerImage.FromRegistry(image),
            Essential = true,
            Cpu = 128,
            MemoryReservationMiB = 128,
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Config(stack.Region, metricsLogGroup.LogGroupName) },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = ContainerName }),
            // The collector's own health_check extension, probed by the binary the image ships for this.
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD", "/healthcheck"],
                Interval = Duration.Seconds(15),
                Timeout = Duration.Seconds(5),
                Retries = 3,
                StartPeriod = Duration.Seconds(10),
            },
        });

        // Pulling through the cache: the first pull creates the cached repository and imports the image.
        var cachedRepositoryArn = stack.FormatArn(new ArnComponents { Service = "ecr", Resource = "repository", ResourceName = CachedRepositoryName });
        task.ObtainExecutionRole().AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions =
            [
                "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                "ecr:BatchImportUpstreamImage", "ecr:CreateRepository",
            ],
            Resources = [cachedRepositoryArn],
        }));
        return container;
    }

    /// <summary>Permissions the collector uses with the task's role.</summary>
    public static IEnumerable<PolicyStatement> TaskRoleStatements(ILogGroup metricsLogGroup) =>
    [
        new(new PolicyStatementProps { Actions = [.. XRayActions], Resources = ["*"] }),
        new(new PolicyStatementProps { Actions = [.. MetricsLogActions], Resources = [metricsLogGroup.LogGroupArn] }),
    ];

    /// <summary>
    /// The collector configuration. Only surgicase.* metrics become CloudWatch metrics (with the one dimension
    /// service.name, which the alarms use); the runtime and HTTP metrics stay in the EMF log events.
    /// </summary>
    public static string Config(string region, string metricsLogGroupName) => $$"""
        extensions:
          health_check:
            endpoint: 127.0.0.1:13133
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 127.0.0.1:4317
              http:
                endpoint: 127.0.0.1:4318
        processors:
          resourcedetection:
            detectors: [env, ecs]
          batch/traces:
            timeout: 1s
            send_batch_size: 50
          batch/metrics:
            timeout: 60s
        exporters:
          awsxray:
            region: {{region}}
          awsemf:
            region: {{region}}
            namespace: {{Names.MetricsNamespace}}
            log_group_name: {{metricsLogGroupName}}
            log_stream_name: '{TaskId}'
            dimension_rollup_option: NoDimensionRollup
            resource_to_telemetry_conversion:
              enabled: true
            metric_declarations:
              - dimensions: [[{{Names.ServiceNameDimension}}]]
                metric_name_selectors: ['^surgicase\.']
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [resourcedetection, batch/traces]
              exporters: [awsxray]
            metrics:
              receivers: [otlp]
              processors: [resourcedetection, batch/metrics]
              exporters: [awsemf]
        """;
}
