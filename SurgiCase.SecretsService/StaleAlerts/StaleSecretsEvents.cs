using System.Globalization;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SecretsService.StaleAlerts;

/// <summary>
/// The stale-secrets warning and its all-clear. Their event ids derive from the episode, so a redelivery or a replay is
/// deduplicated by the notification service like any other event; the job name carries the secrets and the duration,
/// so the subject says what is stale and for how long (<c>⚠️ WARNING: Scheduled Job Failed - Stale Secrets: … for 1 h 0 min</c>).
/// </summary>
internal static class StaleSecretsEvents
{
    private const int NamesInSubject = 3;

    public static JobFailed Warning(StaleEpisode episode, IReadOnlyList<string> names, IReadOnlyList<StaleSecret> stale, DateTimeOffset now)
    {
        var duration = Duration(now - episode.StaleSince);
        var details = new Dictionary<string, string>(StringComparer.Ordinal) { ["staleSince"] = Utc(episode.StaleSince) };
        foreach (var secret in stale)
        {
            var fetched = secret.FetchedAt is { } at ? $"value fetched {Utc(at)}" : "no value";
            details[secret.Name] = $"stale since {Utc(secret.Since)}; {fetched}; last AWS answer {secret.LastErrorCode ?? "-"}";
        }

        return new JobFailed(
            episode.EpisodeId + "-stale", now, StaleSecretsAlerter.JobId, $"Stale Secrets: {Shortlist(names)} for {duration}", episode.EpisodeId,
            Environment.MachineName, Triggers.Schedule, 1, ErrorKinds.SecretsUnavailable,
            $"{names.Count} secret(s) have been served from stale cache for {duration} (since {Utc(episode.StaleSince)}) because AWS Secrets " +
            $"Manager could not refresh them: {string.Join(", ", names)}. Jobs keep running on the last values, up to Secrets:MaxStaleness when it is set.",
            Details: details,
            Troubleshooting:
            [
                "Check the AWS Health Dashboard for AWS Secrets Manager in this region.",
                "Verify the SecretsService task role may still call secretsmanager:GetSecretValue on these secrets (IAM, KMS key policy).",
                "Check network connectivity from the SecretsService to the Secrets Manager endpoint (VPC endpoint or NAT, DNS, security groups).",
                "Review CloudTrail for GetSecretValue errors, and GET /cache on the SecretsService for each secret's last error and age.",
                "Once AWS answers, POST /secrets/warm refreshes every secret; a notice follows when they are fresh again.",
            ],
            Severity: Severities.Warning);
    }

    public static JobRecovered Fresh(StaleEpisode episode, DateTimeOffset now)
    {
        var names = episode.SecretNames.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new JobRecovered(
            episode.EpisodeId + "-fresh", now, StaleSecretsAlerter.JobId, $"Stale Secrets: {Shortlist(names)}", episode.EpisodeId,
            Environment.MachineName, episode.StaleSince, 1, Triggers.Schedule, "AWS Secrets Manager");
    }

    /// <summary>A subject must stay readable: the first few names, then how many more.</summary>
    private static string Shortlist(IReadOnlyList<string> names) => names.Count <= NamesInSubject
        ? string.Join(", ", names)
        : $"{string.Join(", ", names.Take(NamesInSubject))} and {(names.Count - NamesInSubject).ToString(CultureInfo.InvariantCulture)} more";

    internal static string Duration(TimeSpan span) => span.TotalHours >= 1
        ? $"{((int)span.TotalHours).ToString(CultureInfo.InvariantCulture)} h {span.Minutes.ToString(CultureInfo.InvariantCulture)} min"
        : $"{Math.Max(0, (int)span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";

    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
