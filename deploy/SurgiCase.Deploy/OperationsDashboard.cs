using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The CloudWatch dashboard of one environment (the seed's Phase 3): job runs and failures per job, run duration,
/// overdue jobs and the heartbeat; alerts sent by channel, failed, deduplicated; the queue's depth and age and the
/// DLQ; secrets served by source, the oldest stale value and the breaker; and every alarm's state. Per-job and
/// per-channel lines come from SEARCH expressions, so a new job shows up without a deploy.
/// </summary>
internal sealed class OperationsDashboard : Construct
{
    public OperationsDashboard(Construct scope, string id, SurgiCaseStack stack) : base(scope, id)
    {
        var environment = stack.Settings.EnvironmentName;
        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps
        {
            DashboardName = Names.Prefix(environment),
            DefaultInterval = Duration.Hours(6),
        });

        Metric Own(ServiceName service, string name, string statistic) =>
            Alarms.ServiceMetric(environment, service, name, statistic, minutes: 5);

        Dashboard.AddWidgets(
            Graph("Job runs by job and outcome (5 min)",
                Search(environment, Names.RunsMetric, ["job.id", "job.outcome"], "Sum")),
            Graph("Job run duration by job (s, average)",
                Search(environment, Names.RunDurationMetric, ["job.id", "job.outcome"], "Average")),
            Graph("Overdue critical jobs and scheduler heartbeat",
                Own(ServiceName.Scheduler, Names.OverdueJobsMetric, Stats.MAXIMUM),
                Own(ServiceName.Scheduler, Names.HeartbeatMetric, Stats.SUM)));
        Dashboard.AddWidgets(
            Graph("Alerts sent by channel (email; webhook is the second channel)",
                Search(environment, Names.NotificationsSentMetric, ["channel"], "Sum")),
            Graph("Alerts failed on every channel, deduplicated, suppressed",
                Own(ServiceName.Notifications, Names.NotificationFailuresMetric, Stats.SUM),
                Own(ServiceName.Notifications, "surgicase.notifications.deduplicated", Stats.SUM),
                Own(ServiceName.Notifications, "surgicase.notifications.suppressed", Stats.SUM)),
            Graph("Job-events queue: depth and in flight",
                stack.Queues.Queue.MetricApproximateNumberOfMessagesVisible(Every(Stats.MAXIMUM)),
                stack.Queues.Queue.MetricApproximateNumberOfMessagesNotVisible(Every(Stats.MAXIMUM))));
        Dashboard.AddWidgets(
            Graph("Oldest job event in the queue (s)",
                stack.Queues.Queue.MetricApproximateAgeOfOldestMessage(Every(Stats.MAXIMUM))),
            Graph("Dead letters (not emailed)",
                stack.Queues.DeadLetterQueue.MetricApproximateNumberOfMessagesVisible(Every(Stats.MAXIMUM))),
            Graph("Secrets served by source (fresh, cached, stale, error)",
                Search(environment, Names.SecretsLookupsMetric, ["source"], "Sum")));
        Dashboard.AddWidgets(
            Graph("Oldest secret served stale (s)", Own(ServiceName.Secrets, Names.SecretsOldestStaleAgeMetric, Stats.MAXIMUM)),
            Graph("Secrets Manager breaker (0 closed, 1 half-open, 2 open)", Own(ServiceName.Secrets, Names.SecretsBreakerStateMetric, Stats.MAXIMUM)),
            new AlarmStatusWidget(new AlarmStatusWidgetProps
            {
                Title = "Alarms",
                Alarms = [.. stack.Alarms.All],
                Width = 8,
                Height = 6,
            }));
    }

    public Dashboard Dashboard { get; }

    private static GraphWidget Graph(string title, params IMetric[] metrics) => new(new GraphWidgetProps
    {
        Title = title,
        Left = metrics,
        Width = 8,
        Height = 6,
    });

    private static MetricOptions Every(string statistic) => new() { Statistic = statistic, Period = Duration.Minutes(5) };

    /// <summary>One line per value of <paramref name="tags"/> of a metric in this environment.</summary>
    private static MathExpression Search(string environment, string metric, string[] tags, string statistic)
    {
        var schema = string.Join(",", new[] { Names.MetricsNamespace, Quote(Names.EnvironmentDimension), Quote(Names.ServiceNameDimension) }
            .Concat(tags.Select(Quote)));
        return new MathExpression(new MathExpressionProps
        {
            Expression = $"SEARCH('{{{schema}}} MetricName=\"{metric}\" {Quote(Names.EnvironmentDimension)}=\"{environment}\"', '{statistic}', 300)",
            UsingMetrics = new Dictionary<string, IMetric>(),
            Label = "",
            Period = Duration.Minutes(5),
        });
    }

    private static string Quote(string name) => $"\"{name}\"";
}
