namespace SurgiCase.SchedulerService.Jobs;

/// <summary>One scheduled job as configured under <c>Scheduler:Jobs</c>. All fields are editable per deployment.</summary>
public sealed class JobDefinition
{
    /// <summary>Stable kebab-case id used in URLs, run history and events, e.g. <c>weekly-provider-payment-report</c>.</summary>
    public string Id { get; set; } = "";

    /// <summary>Title used in alerts, e.g. <c>Weekly Provider Payment Report</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>
    /// Subject of the failure sentences (<c>{DisplayName} failed with HTTP status 500</c>). When empty it is the
    /// name without a leading "Weekly "/"Daily " in sentence case: "Provider payment report".
    /// </summary>
    public string? DisplayName { get; set; }

    /// <summary>Quartz cron expression with seconds, e.g. <c>0 0 9 ? * MON</c>.</summary>
    public string Cron { get; set; } = "";

    /// <summary>IANA or Windows time-zone id the cron is read in.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary><c>cluster</c>: once per fire time across replicas; <c>instance</c>: on every replica.</summary>
    public string Scope { get; set; } = JobScopes.Cluster;

    public bool Enabled { get; set; } = true;

    /// <summary>A critical job's failure is alerted as critical and watched for missed runs.</summary>
    public bool Critical { get; set; } = true;

    /// <summary>
    /// A critical job whose final failure was caused by a dependency (API unreachable, 5xx, timeout, secrets unavailable,
    /// breaker open) is re-run once automatically when the dependency answers again (<c>Scheduler:Recovery</c>).
    /// Set false to turn that off for this job; a non-critical job is never re-run automatically.
    /// </summary>
    public bool AutoRecovery { get; set; } = true;

    public string Method { get; set; } = "POST";

    /// <summary>Absolute, or relative to <c>SurgiCaseApi:BaseAddress</c>.</summary>
    public string Url { get; set; } = "";

    public int TimeoutSeconds { get; set; } = 300;

    public RetryPolicyOptions Retry { get; set; } = new();

    /// <summary>When a run whose items partly failed is alerted, and how loudly.</summary>
    public PartialFailureOptions PartialFailure { get; set; } = new();

    /// <summary>Steps put into every alert for this job, after the step specific to the kind of failure.</summary>
    public List<string> Troubleshooting { get; set; } = [];

    /// <summary>Overrides <c>Scheduler:MissedRunGrace</c> for this job.</summary>
    public TimeSpan? MissedRunGrace { get; set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public string EffectiveDisplayName => string.IsNullOrWhiteSpace(DisplayName) ? DeriveDisplayName(Name) : DisplayName;

    /// <summary>
    /// The name as the seed's log lines write it: "Weekly provider payment report" (a capitalised word after the first is
    /// lower-cased; an acronym such as NPI is kept).
    /// </summary>
    public string SentenceName => System.Text.RegularExpressions.Regex.Replace(
        Name.Trim(), @"(?<=[\s/])\p{Lu}(?=\p{Ll})", m => m.Value.ToLowerInvariant(), System.Text.RegularExpressions.RegexOptions.None,
        TimeSpan.FromSeconds(1));

    internal static string DeriveDisplayName(string name)
    {
        var text = name.Trim();
        foreach (var prefix in (string[])["Weekly ", "Daily "])
        {
            if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                text = text[prefix.Length..];
                break;
            }
        }

        return text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..].ToLowerInvariant();
    }
}

/// <summary>
/// A partial failure above the threshold is alerted with the job's own severity (critical for a critical job); one at or
/// below it as a warning, or not at all.
/// </summary>
public sealed class PartialFailureOptions
{
    /// <summary>Share of the items that must fail, in percent, for the job's own severity; the seed alerts above 50 %.</summary>
    public double ThresholdPercent { get; set; } = 50;

    /// <summary><c>warning</c>: a partial failure at or below the threshold is alerted as a warning; <c>none</c>: it is only recorded.</summary>
    public string BelowThreshold { get; set; } = PartialBelowThreshold.Warning;
}

public static class PartialBelowThreshold
{
    public const string Warning = "warning";
    public const string None = "none";
}

public static class JobScopes
{
    public const string Cluster = "cluster";
    public const string Instance = "instance";
}

/// <summary>Attempts of one run; retries wait <c>initial × multiplier^(n-1)</c>, capped, with ± jitter.</summary>
public sealed class RetryPolicyOptions
{
    /// <summary>Total attempts including the first; 1 means no retry.</summary>
    public int MaxAttempts { get; set; } = 1;

    public double InitialDelaySeconds { get; set; } = 30;

    public double MaxDelaySeconds { get; set; } = 600;

    public double Multiplier { get; set; } = 2;

    /// <summary>Fraction of the delay added or removed at random, so replicas do not retry in lock-step.</summary>
    public double JitterRatio { get; set; } = 0.2;
}
