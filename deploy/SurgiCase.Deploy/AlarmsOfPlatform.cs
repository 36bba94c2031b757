using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;

namespace SurgiCase.Deploy;

/// <summary>The alarms on what AWS runs for SurgiCase: the database and the sending reputation.</summary>
internal sealed partial class Alarms
{
    /// <summary>
    /// RDS PostgreSQL's max_connections is LEAST(memory / 9531392, 5000); the alarm fires at 80 % of it for the
    /// burstable sizes this stack is meant for (unknown sizes: 80 % of a t4g.small's).
    /// </summary>
    public static int ConnectionsAlarmThreshold(string instanceType)
    {
        var memoryGiB = instanceType.Split('.').LastOrDefault() switch
        {
            "micro" => 1,
            "small" => 2,
            "medium" => 4,
            "large" => 8,
            "xlarge" => 16,
            _ => 2,
        };
        return (int)(memoryGiB * 1024L * 1024 * 1024 / 9531392 * 8 / 10);
    }

    private void WatchDatabase(Database database)
    {
        var instance = database.Instance;
        Watch("DatabaseCpu", $"{_prefix}-database-cpu-above-80-percent",
            "The database's CPU has been above 80 % for 15 minutes (burstable instances then spend their credits).",
            instance.MetricCPUUtilization(Every(Stats.AVERAGE, 5)), Above(80), TreatMissingData.NOT_BREACHING, minutes: 3);
        Watch("DatabaseStorage", $"{_prefix}-database-free-storage-below-2-gib",
            "The database has less than 2 GiB of free storage (storage autoscaling stops at 100 GiB).",
            instance.MetricFreeStorageSpace(Every(Stats.MINIMUM, 5)), Below(2L * 1024 * 1024 * 1024), TreatMissingData.NOT_BREACHING);
        var connections = ConnectionsAlarmThreshold(_settings.DatabaseInstanceType);
        Watch("DatabaseConnections", $"{_prefix}-database-connections-above-{connections}",
            $"The database has more than {connections} connections (80 % of its max_connections) for 5 minutes.",
            instance.MetricDatabaseConnections(Every(Stats.MAXIMUM)), Above(connections), TreatMissingData.NOT_BREACHING, minutes: 5);
    }

    /// <summary>
    /// SES reviews an account at a 5 % bounce rate or a 0.1 % complaint rate (and may pause sending at 10 % / 0.5 %):
    /// the alarms fire at the review levels, on the configuration set's reputation metrics.
    /// </summary>
    private void WatchEmailReputation(AlertEmail email)
    {
        Metric Reputation(string name) => new(new MetricProps
        {
            Namespace = "AWS/SES",
            MetricName = name,
            DimensionsMap = new Dictionary<string, string> { ["ses:configuration-set"] = email.ConfigurationSet.ConfigurationSetName },
            Statistic = Stats.MAXIMUM,
            Period = Duration.Hours(1),
        });
        Watch("SesBounceRate", $"{_prefix}-ses-bounce-rate-above-5-percent",
            "The alerts' bounce rate is above 5 %: SES reviews the account and may pause sending. Check the recipients in surgicase/<environment>/main.",
            Reputation("Reputation.BounceRate"), Above(0.05), TreatMissingData.NOT_BREACHING);
        Watch("SesComplaintRate", $"{_prefix}-ses-complaint-rate-above-0.1-percent",
            "The alerts' complaint rate is above 0.1 %: SES reviews the account and may pause sending.",
            Reputation("Reputation.ComplaintRate"), Above(0.001), TreatMissingData.NOT_BREACHING);
    }
}
