namespace SurgiCase.Deploy;

/// <summary>
/// One deployable service: its ECR repository (agreed with the image build, <c>surgicase/&lt;service&gt;</c>), its
/// Service Connect name (the host other services call, on port 80) and its OpenTelemetry service name.
/// </summary>
internal sealed record ServiceName(string Name)
{
    public static readonly ServiceName Scheduler = new("scheduler-service");
    public static readonly ServiceName Notifications = new("notification-service");
    public static readonly ServiceName Secrets = new("secrets-service");
    public static readonly ServiceName ApiSimulator = new("api-simulator");

    public string EcrRepository => $"surgicase/{Name}";

    /// <summary>What a client puts in its base address: Service Connect answers <c>http://{Name}</c> inside the namespace.</summary>
    public Uri ServiceConnectAddress => new($"http://{Name}");

    public override string ToString() => Name;
}

/// <summary>Names that the services and the stack must agree on.</summary>
internal static class Names
{
    /// <summary>The port every image listens on (<c>ASPNETCORE_HTTP_PORTS</c>).</summary>
    public const int ContainerPort = 8080;

    /// <summary>The port clients use for a Service Connect name.</summary>
    public const int ServiceConnectPort = 80;

    public const string PortMappingName = "http";

    /// <summary>
    /// Every physical name carries the environment, so staging and production can share an account and region. The
    /// services are told these names through their configuration (queue, DLQ, configuration set, secret names).
    /// </summary>
    public static string Prefix(string environment) => $"surgicase-{environment}";

    /// <summary>The Cloud Map namespace (one per account and region with this name). Clients call <c>http://{service}</c>.</summary>
    public static string ServiceConnectNamespace(string environment) => $"{environment}.surgicase.internal";

    /// <summary>The job-events queue and its DLQ (passed as Messaging:QueueName / DeadLetterQueueName).</summary>
    public static string JobEventsQueue(string environment) => $"{Prefix(environment)}-job-events";

    public static string JobEventsDeadLetterQueue(string environment) => $"{Prefix(environment)}-job-events-dlq";

    /// <summary>Receives before SQS moves a message to the DLQ (the services' Messaging:MaxReceiveCount).</summary>
    public const int MaxReceiveCount = 5;

    public static string SesConfigurationSet(string environment) => $"{Prefix(environment)}-alerts";

    public const string DatabaseName = "surgicase";

    public const string DatabaseUser = "surgicase";

    /// <summary>The PostgreSQL schema of the SecretsService's tables (its outbox), apart from the scheduler's.</summary>
    public const string SecretsDatabaseSchema = "secrets";

    /// <summary>CloudWatch namespace of the services' OpenTelemetry metrics (written as EMF by the collector).</summary>
    public const string MetricsNamespace = "SurgiCase";

    /// <summary>The metric names the alarms watch; the services' meters define them.</summary>
    public const string HeartbeatMetric = "surgicase.scheduler.heartbeat";

    public const string OverdueJobsMetric = "surgicase.scheduler.jobs.overdue";

    public const string NotificationFailuresMetric = "surgicase.notifications.failed";

    /// <summary>The metric dimension the collector keeps: the OpenTelemetry resource's service name.</summary>
    public const string ServiceNameDimension = "service.name";

    /// <summary>The environment dimension the collector adds to every metric, so two stacks' metrics never mix.</summary>
    public const string EnvironmentDimension = "deployment.environment";

    public const string RunsMetric = "surgicase.scheduler.runs";

    public const string RunDurationMetric = "surgicase.scheduler.run.duration";

    public const string NotificationsSentMetric = "surgicase.notifications.sent";

    public const string SecretsLookupsMetric = "surgicase.secrets.lookups";

    public const string SecretsOldestStaleAgeMetric = "surgicase.secrets.oldest_stale_age";

    public const string SecretsBreakerStateMetric = "surgicase.secrets.breaker_state";
}
