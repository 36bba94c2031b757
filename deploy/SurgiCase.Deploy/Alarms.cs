using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// CloudWatch alarms to an SNS topic that emails <c>alarmEmail</c>: AWS itself notices when SurgiCase cannot, so a
/// dead scheduler, a stuck queue or a dead notification service still reaches a person.
/// </summary>
internal sealed class Alarms : Construct
{
    /// <summary>Minutes without a scheduler heartbeat before the dead man's switch fires.</summary>
    public const int HeartbeatMissingMinutes = 5;

    public Alarms(Construct scope, string id, DeploymentSettings settings, JobEventQueues queues, Cluster cluster,
        IEnumerable<SurgiCaseService> services) : base(scope, id)
    {
        Topic = new Topic(this, "Topic", new TopicProps
        {
            TopicName = $"surgicase-{settings.EnvironmentName}-alarms",
            DisplayName = "SurgiCase alarms",
        });
        Topic.AddSubscription(new EmailSubscription(settings.AlarmEmail));
        var prefix = $"surgicase-{settings.EnvironmentName}";

        Watch("DeadLetters", $"{prefix}-dlq-has-messages",
            "Alerts were dead-lettered: they were not emailed. Read the DLQ's reason attribute, fix, redrive.",
            queues.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(Every(Stats.MAXIMUM)),
            Above(0), TreatMissingData.NOT_BREACHING);

        Watch("OldestMessage", $"{prefix}-queue-message-older-than-5-minutes",
            "Job events wait in the queue for more than 5 minutes: the notification service is not consuming.",
            queues.Queue.MetricApproximateAgeOfOldestMessage(Every(Stats.MAXIMUM)),
            Above(300), TreatMissingData.NOT_BREACHING);

        foreach (var service in services)
        {
            // A service with no running task may report nothing at all, so missing data counts as below.
            Watch($"{service.Name}-BelowDesired", $"{prefix}-{service.Name}-below-desired-count",
                $"{service.Name} runs fewer tasks than it should for 3 minutes (or reports nothing).",
                new Metric(new MetricProps
                {
                    Namespace = "ECS/ContainerInsights",
                    MetricName = "RunningTaskCount",
                    DimensionsMap = new Dictionary<string, string>
                    {
                        ["ClusterName"] = cluster.ClusterName,
                        ["ServiceName"] = service.Service.ServiceName,
                    },
                    Statistic = Stats.MINIMUM,
                    Period = Duration.Minutes(1),
                }),
                Below(service.DesiredCount), TreatMissingData.BREACHING, minutes: 3);
        }

        Watch("OverdueJobs", $"{prefix}-scheduler-overdue-jobs",
            "A critical job has no successful run past its fire time plus grace (the scheduler's missed-run watch).",
            ServiceMetric(ServiceName.Scheduler, Names.OverdueJobsMetric, Stats.MAXIMUM),
            Above(0), TreatMissingData.NOT_BREACHING);

        Watch("NotificationFailures", $"{prefix}-notification-failures",
            "An alert could not be delivered on any channel (SES and the webhook).",
            ServiceMetric(ServiceName.Notifications, Names.NotificationFailuresMetric, Stats.SUM),
            Above(0), TreatMissingData.NOT_BREACHING);

        // The dead man's switch: the scheduler counts a heartbeat every minute while its Quartz schedulers run. No
        // data at all (scheduler, collector or task gone) is as bad as a zero, hence missing = breaching.
        Heartbeat = Watch("HeartbeatMissing", $"{prefix}-scheduler-heartbeat-missing",
            $"No scheduler heartbeat for {HeartbeatMissingMinutes} minutes: scheduled jobs are not running and their failures would reach nobody.",
            ServiceMetric(ServiceName.Scheduler, Names.HeartbeatMetric, Stats.SUM),
            Below(1), TreatMissingData.BREACHING, minutes: HeartbeatMissingMinutes);
    }

    public Topic Topic { get; }

    public Alarm Heartbeat { get; }

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
        return alarm;
    }

    private static (double, ComparisonOperator) Above(double threshold) => (threshold, ComparisonOperator.GREATER_THAN_THRESHOLD);

    private static (double, ComparisonOperator) Below(double threshold) => (threshold, ComparisonOperator.LESS_THAN_THRESHOLD);

    private static MetricOptions Every(string statistic) => new() { Statistic = statistic, Period = Duration.Minutes(1) };

    private static Metric ServiceMetric(ServiceName service, string name, string statistic) => new(new MetricProps
    {
        Namespace = Names.MetricsNamespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [Names.ServiceNameDimension] = service.Name },
        Statistic = statistic,
        Period = Duration.Minutes(1),
    });
}
