using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>What the stack shares with every service it runs.</summary>
internal sealed record ServicePlatform(
    DeploymentSettings Settings, Network Network, Cluster Cluster, ILogGroup MetricsLogGroup);

/// <summary>How one service runs: its configuration (plain environment and ECS secrets) and what its task role may do.</summary>
internal sealed record ServiceSpec(
    ServiceName Name,
    int DesiredCount,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, Amazon.CDK.AWS.ECS.Secret> Secrets,
    IReadOnlyList<PolicyStatement> Permissions,
    bool ServesOthers,
    int Cpu = 512,
    int MemoryMiB = 1024)
{
    /// <summary>Alarm names (created by <see cref="Alarms"/>) that roll a deployment back while they are in ALARM.</summary>
    public IReadOnlyList<string> DeploymentAlarms { get; init; } = [];
}

/// <summary>
/// One service on Fargate: its image from ECR at the deployment's tag, an ADOT collector beside it, a log group, a
/// security group that accepts nothing until a caller is allowed in, its own task role with exactly
/// <see cref="ServiceSpec.Permissions"/>, Service Connect, and a deployment circuit breaker that rolls back.
/// </summary>
internal sealed class SurgiCaseService : Construct
{
    public const string AppContainerName = "app";

    /// <summary>
    /// The container health check: GET /alive (liveness: the process answers) on the app's port. Not /health: that is
    /// readiness, Unhealthy while a dependency is down (NotificationService that cannot deliver, during an RDS
    /// failover), and a restart would not fix the dependency, only kill every task at once. The load balancer's target
    /// group checks /health. The images carry no curl, so bash's /dev/tcp speaks HTTP.
    /// </summary>
    public const string LivenessPath = "/alive";

    public static readonly string HealthProbe =
        $"exec 3<>/dev/tcp/127.0.0.1/{Names.ContainerPort} && "
        + $"printf 'GET {LivenessPath} HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && "
        + "read -r _ status _ <&3 && [ \"$status\" = 200 ]";

    /// <summary>Plain environment every service gets, besides its own configuration keys.</summary>
    public static IReadOnlyDictionary<string, string> PlatformEnvironment(ServiceName name) => new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["ASPNETCORE_HTTP_PORTS"] = Names.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OTEL_SERVICE_NAME"] = name.Name,
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = OtelCollector.OtlpEndpoint,
    };

    public SurgiCaseService(Construct scope, string id, ServiceSpec spec, ServicePlatform platform) : base(scope, id)
    {
        Name = spec.Name;
        DesiredCount = spec.DesiredCount;
        var settings = platform.Settings;
        var logGroup = LogGroups.Create(this, "Logs", $"/surgicase/{settings.EnvironmentName}/{spec.Name}", settings.LogRetentionDays);
        Alarms = spec.DeploymentAlarms;

        TaskRole = new Role(this, "TaskRole", new RoleProps
        {
            AssumedBy = TaskRolePrincipal(Stack.Of(this)),
            Description = $"{spec.Name}: only what the service and its collector call",
        });
        foreach (var statement in spec.Permissions.Concat(OtelCollector.TaskRoleStatements(platform.MetricsLogGroup)))
        {
            TaskRole.AddToPrincipalPolicy(statement);
        }

        TaskDefinition = new FargateTaskDefinition(this, "Task", new FargateTaskDefinitionProps
        {
            Family = $"surgicase-{settings.EnvironmentName}-{spec.Name}",
            Cpu = spec.Cpu,
            MemoryLimitMiB = spec.MemoryMiB,
            TaskRole = TaskRole,
            RuntimePlatform = new RuntimePlatform
            {
                CpuArchitecture = CpuArchitecture.X86_64,
                OperatingSystemFamily = OperatingSystemFamily.LINUX,
            },
        });

        var repository = Repository.FromRepositoryName(this, "Repository", spec.Name.EcrRepository);
        var environment = PlatformEnvironment(spec.Name).Concat(spec.Environment).ToDictionary(p => p.Key, p => p.Value);
        AppContainer = TaskDefinition.AddContainer(AppContainerName, new ContainerDefinitionOptions
        {
            ContainerName = AppContainerName,
            Image = ContainerImage.FromEcrRepository(repository, settings.ImageTag),
            Essential = true,
            Environment = environment,
            Secrets = spec.Secrets.ToDictionary(p => p.Key, p => p.Value),
            PortMappings =
            [
                new PortMapping { ContainerPort = Names.ContainerPort, Name = Names.PortMappingName, AppProtocol = AppProtocol.Http },
            ],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = spec.Name.Name }),
            HealthCheck = new Amazon.CDK.AWS.ECS.HealthCheck
            {
                Command = ["CMD", "bash", "-c", HealthProbe],
                Interval = Duration.Seconds(15),
                Timeout = Duration.Seconds(5),
                Retries = 3,
                StartPeriod = Duration.Seconds(60),
            },
            // Between SIGTERM and SIGKILL (ECS's default, stated): the services drain (consumer, SES sends, Quartz,
            // outbox) within a shorter timeout of their own.
            StopTimeout = Duration.Seconds(30),
            // Nothing in the image changes at run time; /tmp (below) is the one writable place (docs/security.md).
            ReadonlyRootFilesystem = true,
        });
        MountScratch(AppContainer, "app-tmp");

        var collector = OtelCollector.AddTo(TaskDefinition, settings, logGroup, platform.MetricsLogGroup);
        AppContainer.AddContainerDependencies(new ContainerDependency { Container = collector, Condition = ContainerDependencyCondition.HEALTHY });
        MountScratch(collector, "collector-tmp");

        SecurityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = platform.Network.Vpc,
            Description = $"{spec.Name} tasks",
            // Out only what the service calls: the rules below, the database and the services it calls (AllowTo).
            AllowAllOutbound = false,
        });
        // HTTPS to any address, the one egress rule not bound to a security group, and why: the interface endpoints
        // are in the VPC, but ECR's image layers come from S3 through the gateway endpoint, whose addresses are a
        // managed prefix list CloudFormation cannot name without a lookup; with natGateways=0 the task subnets have no
        // other route, and with NAT this is the Slack webhook's and an external API's way out. The app and its
        // collector talk over localhost, which no security group filters.
        SecurityGroup.AddEgressRule(Peer.AnyIpv4(), Port.Tcp(HttpsPort), "HTTPS: VPC endpoints, S3 image layers, and with NAT the webhook and API");

        Service = new FargateService(this, "Service", new FargateServiceProps
        {
            ServiceName = spec.Name.Name,
            Cluster = platform.Cluster,
            TaskDefinition = TaskDefinition,
            DesiredCount = spec.DesiredCount,
            MinHealthyPercent = 100,
            MaxHealthyPercent = 200,
            AssignPublicIp = false,
            VpcSubnets = platform.Network.TaskSubnets,
            SecurityGroups = [SecurityGroup],
            CircuitBreaker = new DeploymentCircuitBreaker { Rollback = true },
            // A deployment whose new tasks start but misbehave (the alarms the service's own signals drive) is rolled
            // back too, not only one whose tasks fail to start.
            DeploymentAlarms = spec.DeploymentAlarms.Count == 0
                ? null
                : new DeploymentAlarmConfig { AlarmNames = [.. spec.DeploymentAlarms], Behavior = AlarmBehavior.ROLLBACK_ON_ALARM },
            EnableExecuteCommand = settings.ExecuteCommand,
            PlatformVersion = FargatePlatformVersion.LATEST,
            ServiceConnectConfiguration = new ServiceConnectProps
            {
                Services = spec.ServesOthers
                    ?
                    [
                        new ServiceConnectService
                        {
                            PortMappingName = Names.PortMappingName,
                            DiscoveryName = spec.Name.Name,
                            DnsName = spec.Name.Name,
                            Port = Names.ServiceConnectPort,
                        },
                    ]
                    : [],
                LogDriver = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logGroup, StreamPrefix = "service-connect" }),
            },
        });

        SuppressByDesign();
    }

    public ServiceName Name { get; }

    /// <summary>Names of the alarms that roll a deployment of this service back.</summary>
    public IReadOnlyList<string> Alarms { get; }

    public int DesiredCount { get; }

    public Role TaskRole { get; }

    public FargateTaskDefinition TaskDefinition { get; }

    public ContainerDefinition AppContainer { get; }

    public SecurityGroup SecurityGroup { get; }

    public FargateService Service { get; }

    /// <summary>The cdk-nag findings every service's resources raise by design, each with its reason.</summary>
    private void SuppressByDesign()
    {
        Nag.Suppress(TaskDefinition, "AwsSolutions-ECS2",
            "Only non-secret configuration (region, queue names, connection strings without password, addresses) is plain environment; every key and password is an ECS secret resolved from Secrets Manager at task start.");
        Nag.SuppressAll(this, "AWS::IAM::Policy", "AwsSolutions-IAM5[Resource::*]",
            "ecr:GetAuthorizationToken (execution role) and the X-Ray write/sampling actions (task role) are authorized by AWS on Resource \"*\" only; every other statement names its resource.");
    }

    /// <summary>Lets <paramref name="caller"/> reach this service's port (Service Connect goes task to task): in here, out there.</summary>
    public void AllowFrom(SurgiCaseService caller) =>
        caller.SecurityGroup.Connections.AllowTo(SecurityGroup, Port.Tcp(Names.ContainerPort), $"{caller.Name} calls {Name}");

    public const int HttpsPort = 443;

    /// <summary>Where a container may write with a read-only root: an empty task-scoped volume at /tmp.</summary>
    public const string ScratchPath = "/tmp";

    /// <summary>
    /// The task role may be assumed by ECS tasks of this account and region only (the confused-deputy conditions AWS
    /// documents for task roles): <c>aws:SourceAccount</c> and an <c>aws:SourceArn</c> under this account's ECS.
    /// </summary>
    public static IPrincipal TaskRolePrincipal(Stack stack) =>
        new ServicePrincipal("ecs-tasks.amazonaws.com").WithConditions(new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = stack.Account },
            ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{stack.Partition}:ecs:{stack.Region}:{stack.Account}:*" },
        });

    /// <summary>
    /// An ephemeral task volume mounted at /tmp: Fargate copies the image's /tmp (mode 1777) into it, so the app's
    /// non-root user can write there (.NET's diagnostics socket, temporary files).
    /// </summary>
    private void MountScratch(ContainerDefinition container, string volume)
    {
        TaskDefinition.AddVolume(new Amazon.CDK.AWS.ECS.Volume { Name = volume });
        container.AddMountPoints(new MountPoint { ContainerPath = ScratchPath, SourceVolume = volume, ReadOnly = false });
    }
}
