using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// CloudWatch alarms to an encrypted, TLS-only SNS topic that emails <c>alarmEmail</c>: AWS itself notices when
/// SurgiCase cannot, so a dead scheduler, a stuck queue or a dead notification service still reaches a person. Every
/// alarm on the services' own metrics selects this environment's dimension.
/// </summary>
internal sealed partial class Alarms : Construct
{
    /// <summary>Minutes without a scheduler heartbeat before the dead man's switch fires.</summary>
    public const int HeartbeatMissingMinutes = 5;

    /// <summary>How long a secret may be served stale (Secrets Manager unreachable) before a person is told.</summary>
    public const int StaleSecretsAlarmSeconds = 3600;

    private readonly DeploymentSettings _settings;
    private readonly string _prefix;

    public Alarms(Construct scope, string id, SurgiCaseStack stack) : base(scope, id)
    {
        _settings = stack.Settings;
        _prefix = Names.Prefix(_settings.EnvironmentName);
        // CloudWatch cannot publish to a topic under the AWS-managed SNS key (its policy cannot grant CloudWatch), so
        // the topic has a key of its own that CloudWatch may use.
        var key = new Key(this, "TopicKey", new KeyProps
        {
            Description = $"{_prefix}: encrypts the alarm topic",
            EnableKeyRotation = true,
            // Nothing but in-flight notifications is encrypted with it; the pending window still allows a recovery.
            RemovalPolicy = RemovalPolicy.DESTROY,
            PendingWindow = Duration.Days(7),
        });
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
            Resources = ["*"],
        }));
        Topic = new Topic(this, "Topic", new TopicProps
        {
            TopicName = $"{_prefix}-alarms",
            DisplayName = "SurgiCase alarms",
            MasterKey = key,
        });
        // Stated rather than EnforceSSL, which writes its deny (Publish only) only once something else adds to the
        // topic's policy: no request of any kind to the topic over plain HTTP, from anyone.
        Topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Effect = Effect.DENY,
            Principals = [new AnyPrincipal()],
            Actions = ["sns:*"],
            Resources = [Topic.TopicArn],
            Conditions = new Dictionary<string, object> { ["Bool"] = new Dictionary<string, object> { ["aws:SecureTransport"] = "false" } },
        }));
        Topic.AddSubscription(new EmailSubscription(_settings.AlarmEmail));

        var queues = stack.Queues;
        Watch("DeadLetters", $"{_prefix}-dlq-has-messages",
            "Alerts were dead-lettered: they were not emailed. Read the DLQ's reason attribute, fix, redrive.",
            queues.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(Every(Stats.MAXIMUM)),
            Above(0), TreatMissingData.NOT_BREACHING);

        Watch("OldestMessage", $"{_prefix}-queue-message-older-than-5-minutes",
            "Job events wait in the queue for more than 5 minutes: the notification service is not consuming.",
            queues.Queue.MetricApproximateAgeOfOldestMessage(Every(Stats.MAXIMUM)),
            Above(300), TreatMissingData.NOT_BREACHING);

        foreach (var service in stack.Services)
        {
            // A service with no running task may report nothing at all, so missing data counts as below.
            Watch($"{service.Name}-BelowDesired", $"{_prefix}-{service.Name}-below-desired-count",
                $"{service.Name} runs fewer tasks than it should for 3 minutes (or reports nothing).",
                new Metric(new MetricProps
                {
                    Namespace = "ECS/ContainerInsights",
                    MetricName = "RunningTaskCount",
                    DimensionsMap = new Dictionary<string, string>
                    {
                        ["ClusterName"] = stack.Cluster.ClusterName,
                        ["ServiceName"] = service.Service.ServiceName,
                    },
                    Statistic = Stats.MINIMUM,
                    Period = Duration.Minutes(1),
                }),
                Below(service.DesiredCount), TreatMissingData.BREACHING, minutes: 3);
        }

        Watch("OverdueJobs", $"{_prefix}-scheduler-overdue-jobs",
            "A critical job has no successful run past its fire time plus grace (the scheduler's missed-run watch).",
            ServiceMetric(ServiceName.Scheduler, Names.OverdueJobsMetric, Stats.MAXIMUM),
            Above(0), TreatMissingData.NOT_BREACHING);

        Watch("NotificationFailures", NotificationFailuresName(_settings.EnvironmentName),
            "An alert could not be delivered on any channel (SES and the webhook).",
            ServiceMetric(ServiceName.Notifications, Names.NotificationFailuresMetric, Stats.SUM),
            Above(0), TreatMissingData.NOT_BREACHING);

        // The dead man's switch: the scheduler counts a heartbeat every minute while its Quartz schedulers run. No
        // data at all (scheduler, collector or task gone) is as bad as a zero, hence missing = breaching.
        Heartbeat = Watch("HeartbeatMissing", $"{_prefix}-scheduler-heartbeat-missing",
            $"No scheduler heartbeat for {HeartbeatMissingMinutes} minutes: scheduled jobs are not running and their failures would reach nobody.",
            ServiceMetric(ServiceName.Scheduler, Names.HeartbeatMetric, Stats.SUM),
            Below(1), TreatMissingData.BREACHING, minutes: HeartbeatMissingMinutes);

        // "Stale warnings persisting": SecretsService serves a value it could not refresh for more than an hour.
        Watch("SecretsStale", $"{_prefix}-secrets-served-stale-over-1-hour",
            "SecretsService has served a secret stale for more than an hour: Secrets Manager is unreachable or refuses it.",
            ServiceMetric(ServiceName.Secrets, Names.SecretsOldestStaleAgeMetric, Stats.MAXIMUM),
            Above(StaleSecretsAlarmSeconds), TreatMissingData.NOT_BREACHING, minutes: 5);

        // Deployment alarms (the services roll a deployment back while one is in ALARM); none counts missing data as
        // breaching, so a first deployment, before any data, is not rolled back.
        Watch("SecretsBreakerOpen", SecretsBreakerOpenName(_settings.EnvironmentName),
            "SecretsService's circuit breaker to Secrets Manager has been open for 3 minutes.",
            ServiceMetric(ServiceName.Secrets, Names.SecretsBreakerStateMetric, Stats.MINIMUM),
            (2, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD), TreatMissingData.NOT_BREACHING, minutes: 3);
        Watch("SchedulerTargetsUnhealthy", SchedulerTargetsUnhealthyName(_settings.EnvironmentName),
            "A scheduler task has failed the load balancer's readiness check (/health) for 3 minutes.",
            stack.LoadBalancer.TargetGroup.Metrics.UnhealthyHostCount(Every(Stats.MAXIMUM)),
            Above(0), TreatMissingData.NOT_BREACHING, minutes: 3);

        WatchDatabase(stack.Database);
        WatchEmailReputation(stack.Email);
    }

    public Topic Topic { get; }

    public Alarm Heartbeat { get; }

    /// <summary>Every alarm this construct created, for the dashboard's status widget.</summary>
    public List<Alarm> All { get; } = [];

    /// <summary>The same alarms by the names given here (an Alarm's own AlarmName is a token until deployment).</summary>
    public Dictionary<string, Alarm> ByName { get; } = new(StringComparer.Ordinal);

    public static string NotificationFailuresName(string environment) => $"{Names.Prefix(environment)}-notification-failures";

    public static string SecretsBreakerOpenName(string environment) => $"{Names.Prefix(environment)}-secrets-breaker-open";

    public static string SchedulerTargetsUnhealthyName(string environment) => $"{Names.Prefix(environment)}-scheduler-targets-unhealthy";

    /// <summary>A metric of a service's own, in this environment (the collector's two dimensions).</summary>
    public static Metric ServiceMetric(string environment, ServiceName service, string name, string statistic, int minutes = 1) => new(new MetricProps
    {
        Namespace = Names.MetricsNamespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string>
        {
            [Names.EnvironmentDimension] = environment,
            [Names.ServiceNameDimension] = service.Name,
        },
        Statistic = statistic,
        Period = Duration.Minutes(minutes),
    });

    private Metric ServiceMetric(ServiceName service, string name, string statistic) =>
        ServiceMetric(_settings.EnvironmentName, service, name, statistic);

    /// <summary>An alarm on every one-minute period of <paramref name="minutes"/> in a row, to the topic and back (OK).</summary>
    private Alarm Watch(string id, string name, string description, IMetric metric,
        (double Threshold, ComparisonOperator Comparison) condition, TreatMissingData missing, int minutes = 1)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmName = name,
            AlarmDescription = description,
            Metric = metric,
            Threshold = condition.Threshold,
            ComparisonOperator = condition.Comparison,
            EvaluationPeriods = minutes,
            DatapointsToAlarm = minutes,
            TreatMissingData = missing,
        });
        alarm.AddAlarmAction(new SnsAction(Topic));
        alarm.AddOkAction(new SnsAction(Topic));
        All.Add(alarm);
        ByName[name] = alarm;
        return alarm;
    }

    private static (double, ComparisonOperator) Above(double threshold) => (threshold, ComparisonOperator.GREATER_THAN_THRESHOLD);

    private static (double, ComparisonOperator) Below(double threshold) => (threshold, ComparisonOperator.LESS_THAN_THRESHOLD);

    private static MetricOptions Every(string statistic, int minutes = 1) => new() { Statistic = statistic, Period = Duration.Minutes(minutes) };
}
