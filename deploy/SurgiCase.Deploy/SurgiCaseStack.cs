using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ServiceDiscovery;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// One environment of SurgiCase on AWS: the three services (and the API simulator for a demo/staging stack) on ECS
/// Fargate in a VPC without NAT, the job-events queues, SES, the secrets, PostgreSQL, the operations page's load
/// balancer, and the alarms that reach a person when the system itself cannot.
/// </summary>
internal sealed class SurgiCaseStack : Stack
{
    public SurgiCaseStack(Construct scope, DeploymentSettings settings) : base(scope, settings.StackName, new StackProps
    {
        Env = new Amazon.CDK.Environment { Account = settings.Account, Region = settings.Region },
        Description = $"SurgiCase job resilience ({settings.EnvironmentName})",
    })
    {
        Settings = settings;
        Network = new Network(this, "Network", settings);
        Queues = new JobEventQueues(this, "JobEvents", settings.EnvironmentName);
        Email = new AlertEmail(this, "AlertEmail", settings);
        Secrets = new ApplicationSecrets(this, "Secrets", settings.EnvironmentName);
        Database = new Database(this, "Database", Network, settings);

        var cluster = Cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            ClusterName = $"surgicase-{settings.EnvironmentName}",
            Vpc = Network.Vpc,
            ContainerInsights = true,
            // Exec sessions (when turned on) are recorded by CloudTrail; their output is not logged, which spares the
            // task roles CDK's logs grants on Resource "*".
            ExecuteCommandConfiguration = settings.ExecuteCommand
                ? new ExecuteCommandConfiguration { Logging = ExecuteCommandLogging.NONE }
                : null,
        });
        cluster.AddDefaultCloudMapNamespace(new CloudMapNamespaceOptions
        {
            Name = Names.ServiceConnectNamespace(settings.EnvironmentName),
            Type = NamespaceType.HTTP,
            UseForServiceConnect = true,
        });

        var metricsLogGroup = LogGroups.Create(this, "MetricsLogs", $"{OtelCollector.MetricsLogGroupName}/{settings.EnvironmentName}", settings.LogRetentionDays);
        var platform = new ServicePlatform(settings, Network, cluster, metricsLogGroup);

        SecretsService = new SurgiCaseService(this, "SecretsService", ServiceConfiguration.Secrets(this), platform);
        NotificationService = new SurgiCaseService(this, "NotificationService", ServiceConfiguration.Notifications(this), platform);
        SchedulerService = new SurgiCaseService(this, "SchedulerService", ServiceConfiguration.Scheduler(this), platform);
        ApiSimulator = settings.DeploysApiSimulator
            ? new SurgiCaseService(this, "ApiSimulator", ServiceConfiguration.ApiSimulator(this), platform)
            : null;
        Services = [.. new[] { SecretsService, NotificationService, SchedulerService, ApiSimulator }.OfType<SurgiCaseService>()];

        // Who may call whom, and nothing else.
        SecretsService.AllowFrom(SchedulerService);
        SecretsService.AllowFrom(NotificationService);
        NotificationService.AllowFrom(SchedulerService);
        ApiSimulator?.AllowFrom(SchedulerService);
        // Each service's login exists before the service (re)starts on it.
        DatabaseSetup = new DatabaseSetup(this, "DatabaseSetup", this, platform);
        foreach (var client in new[] { SecretsService, SchedulerService, NotificationService })
        {
            client.SecurityGroup.Connections.AllowTo(Database.SecurityGroup, Amazon.CDK.AWS.EC2.Port.Tcp(Database.Port), $"{client.Name} to PostgreSQL");
            client.Service.Node.AddDependency(DatabaseSetup.Run);
        }

        AllowSchedulerToExternalApi(settings);

        // The servers must be registered in Service Connect before their clients start resolving them.
        NotificationService.Service.Node.AddDependency(SecretsService.Service);
        SchedulerService.Service.Node.AddDependency(SecretsService.Service, NotificationService.Service);
        if (ApiSimulator is not null)
        {
            SchedulerService.Service.Node.AddDependency(ApiSimulator.Service);
        }

        LoadBalancer = new OperationsLoadBalancer(this, "Operations", platform, SchedulerService);
        // Known only once the load balancer exists, which needs the scheduler.
        NotificationService.AppContainer.AddEnvironment("Notifications__OperationsPageUrl", LoadBalancer.OperationsUrl);
        // The sign-in's callback is on the page's host, so it too comes after the load balancer.
        SignIn = new OperationsSignIn(this, "SignIn", settings, LoadBalancer.OperationsUrl);
        foreach (var (key, value) in SignIn.Environment)
        {
            SchedulerService.AppContainer.AddEnvironment(key, value);
        }

        foreach (var (key, secret) in SignIn.Secrets)
        {
            SchedulerService.AppContainer.AddSecret(key, secret);
        }

        Alarms = new Alarms(this, "Alarms", this);
        Dashboard = new OperationsDashboard(this, "Dashboard", this);
        foreach (var service in Services)
        {
            // The deployment alarms must exist before ECS is told to watch them.
            foreach (var name in service.Alarms)
            {
                service.Service.Node.AddDependency(Alarms.ByName[name]);
            }
        }

        ScaleNotificationsOnBacklog(settings);

        _ = new CfnOutput(this, "OperationsPageUrl", new CfnOutputProps { Value = LoadBalancer.OperationsUrl });
        _ = new CfnOutput(this, "LoadBalancerDnsName", new CfnOutputProps { Value = LoadBalancer.LoadBalancer.LoadBalancerDnsName });
        _ = new CfnOutput(this, "OperatorApiKeySecret", new CfnOutputProps { Value = Secrets.OperatorApiKey.SecretName });
        _ = new CfnOutput(this, "AlarmTopic", new CfnOutputProps { Value = Alarms.Topic.TopicArn });
    }

    public DeploymentSettings Settings { get; }

    public Cluster Cluster { get; }

    public OperationsDashboard Dashboard { get; }

    public Network Network { get; }

    public JobEventQueues Queues { get; }

    public AlertEmail Email { get; }

    public ApplicationSecrets Secrets { get; }

    public Database Database { get; }

    public DatabaseSetup DatabaseSetup { get; }

    public SurgiCaseService SecretsService { get; }

    public SurgiCaseService NotificationService { get; }

    public SurgiCaseService SchedulerService { get; }

    public SurgiCaseService? ApiSimulator { get; }

    /// <summary>Every service this environment runs.</summary>
    public IReadOnlyList<SurgiCaseService> Services { get; }

    public OperationsLoadBalancer LoadBalancer { get; }

    public OperationsSignIn SignIn { get; }

    public Alarms Alarms { get; }

    /// <summary>
    /// NotificationService follows the queue's backlog (the scheduler stays at its fixed count: Quartz clustering, not
    /// load, decides its size): one more task per 50 waiting job events, back down when the queue is nearly empty.
    /// </summary>
    private void ScaleNotificationsOnBacklog(DeploymentSettings settings)
    {
        var scaling = NotificationService.Service.AutoScaleTaskCount(new Amazon.CDK.AWS.ApplicationAutoScaling.EnableScalingProps
        {
            MinCapacity = settings.NotificationTasks,
            MaxCapacity = Math.Max(settings.NotificationTasks, settings.NotificationMaxTasks),
        });
        scaling.ScaleOnMetric("QueueBacklog", new Amazon.CDK.AWS.ApplicationAutoScaling.BasicStepScalingPolicyProps
        {
            Metric = Queues.Queue.MetricApproximateNumberOfMessagesVisible(new Amazon.CDK.AWS.CloudWatch.MetricOptions
            {
                Statistic = Amazon.CDK.AWS.CloudWatch.Stats.MAXIMUM,
                Period = Duration.Minutes(1),
            }),
            ScalingSteps =
            [
                new Amazon.CDK.AWS.ApplicationAutoScaling.ScalingInterval { Upper = 5, Change = -1 },
                new Amazon.CDK.AWS.ApplicationAutoScaling.ScalingInterval { Lower = 50, Change = +1 },
                new Amazon.CDK.AWS.ApplicationAutoScaling.ScalingInterval { Lower = 200, Change = +3 },
            ],
            AdjustmentType = Amazon.CDK.AWS.ApplicationAutoScaling.AdjustmentType.CHANGE_IN_CAPACITY,
            Cooldown = Duration.Minutes(2),
        });
    }

    /// <summary>
    /// An external SurgiCase API on a port other than 443 (443 is every task's HTTPS rule): the scheduler may call that
    /// port, at the address itself when it is an IP address.
    /// </summary>
    private void AllowSchedulerToExternalApi(DeploymentSettings settings)
    {
        if (settings.SurgiCaseApiBaseAddress is not { } api || api.Port == SurgiCaseService.HttpsPort)
        {
            return;
        }

        var peer = System.Net.IPAddress.TryParse(api.Host, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? Amazon.CDK.AWS.EC2.Peer.Ipv4($"{ip}/32")
            : Amazon.CDK.AWS.EC2.Peer.AnyIpv4();
        SchedulerService.SecurityGroup.AddEgressRule(peer, Amazon.CDK.AWS.EC2.Port.Tcp(api.Port), "The SurgiCase API");
    }
}
