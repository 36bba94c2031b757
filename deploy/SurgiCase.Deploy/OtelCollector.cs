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
    /// The collector image in the account's own ECR. ECR Public is not reachable through VPC endpoints, so step 1 of
    /// the deployment copies the upstream image into this repository beside the services' images (byte for byte,
    /// <c>skopeo copy --all --preserve-digests</c>): with no NAT every task still starts.
    /// </summary>
    public const string EcrRepository = "surgicase/aws-otel-collector";

    /// <summary>
    /// The collector's image index digest, the same as <c>collector_digest</c> in deploy/push-images.sh (a test holds
    /// them together): the task definition pulls this digest, not a tag, so a tag moved in ECR changes nothing.
    /// </summary>
    public const string ImageDigest = "sha256:cdd2092033efbad8f4289eb53c2d729fdc2167b5395d71c175628f7eb1eb78aa";

    /// <summary>X-Ray's write and sampling actions take no resource narrower than "*".</summary>
    public static readonly IReadOnlyList<string> XRayActions =
        ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"];

    public static readonly IReadOnlyList<string> MetricsLogActions =
        ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

    public static ContainerDefinition AddTo(
        FargateTaskDefinition task, DeploymentSettings settings, ILogGroup logGroup, ILogGroup metricsLogGroup)
    {
        var stack = Stack.Of(task);
        var repository = Amazon.CDK.AWS.ECR.Repository.FromRepositoryName(task, "CollectorRepository", EcrRepository);
        var container = task.AddContainer(ContainerName, new ContainerDefinitionOptions
        {
            ContainerName = ContainerName,
            Image = ContainerImage.FromEcrRepository(repository, ImageDigest),
            Essential = true,
            // It writes nothing; /tmp is mounted for it all the same (SurgiCaseService).
            ReadonlyRootFilesystem = true,
            Cpu = 128,
            MemoryReservationMiB = 128,
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Config(stack.Region, metricsLogGroup.LogGroupName, settings.EnvironmentName) },
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

        return container;
    }

    /// <summary>Permissions the collector uses with the task's role.</summary>
    public static IEnumerable<PolicyStatement> TaskRoleStatements(ILogGroup metricsLogGroup) =>
    [
        new(new PolicyStatementProps { Actions = [.. XRayActions], Resources = ["*"] }),
        new(new PolicyStatementProps { Actions = [.. MetricsLogActions], Resources = [metricsLogGroup.LogGroupArn] }),
    ];

    /// <summary>
    /// The collector configuration. Only surgicase.* metrics become CloudWatch metrics, each with the dimensions
    /// deployment.environment (added here, so two stacks never mix) and service.name, which the alarms select; the runs,
    /// sends and lookups also by the tag the dashboard splits them on. The runtime and HTTP metrics stay in the EMF logs.
    /// </summary>
    public static string Config(string region, string metricsLogGroupName, string environment) => $$"""
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
          resource/environment:
            attributes:
              - key: {{Names.EnvironmentDimension}}
                value: {{environment}}
                action: upsert
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
              - dimensions: [[{{Names.EnvironmentDimension}}, {{Names.ServiceNameDimension}}]]
                metric_name_selectors: ['^surgicase\.']
              - dimensions: [[{{Names.EnvironmentDimension}}, {{Names.ServiceNameDimension}}, job.id, job.outcome]]
                metric_name_selectors: ['^surgicase\.scheduler\.runs$', '^surgicase\.scheduler\.run\.duration$']
              - dimensions: [[{{Names.EnvironmentDimension}}, {{Names.ServiceNameDimension}}, channel]]
                metric_name_selectors: ['^surgicase\.notifications\.sent$']
              - dimensions: [[{{Names.EnvironmentDimension}}, {{Names.ServiceNameDimension}}, source]]
                metric_name_selectors: ['^surgicase\.secrets\.lookups$']
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [resourcedetection, resource/environment, batch/traces]
              exporters: [awsxray]
            metrics:
              receivers: [otlp]
              processors: [resourcedetection, resource/environment, batch/metrics]
              exporters: [awsemf]
        """;
}
