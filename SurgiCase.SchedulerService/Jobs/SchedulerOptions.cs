namespace SurgiCase.SchedulerService.Jobs;

/// <summary>Bound from the <c>Scheduler</c> configuration section.</summary>
public sealed class SchedulerOptions
{
    public const string SectionName = "Scheduler";

    /// <summary>Folder of the SQLite file holding run history (created if missing).</summary>
    public string DataDirectory { get; set; } = "./.data";

    /// <summary>Manual and scheduled runs executed at the same time, at most.</summary>
    public int MaxConcurrentRuns { get; set; } = 4;

    public List<JobDefinition> Jobs { get; set; } = [];

    /// <summary>Runs kept per job; older ones are pruned after each run.</summary>
    public int RunRetention { get; set; } = 1000;

    /// <summary>How long after a fire time a critical job may still succeed before it counts as missed.</summary>
    public TimeSpan MissedRunGrace { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the missed-run watchdog looks.</summary>
    public TimeSpan WatchdogInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Quartz instance id in cluster mode; unique per replica. Empty: machine name and a random suffix.</summary>
    public string? InstanceId { get; set; }

    /// <summary>Cluster mode: how often a replica checks in; a replica silent for twice this is taken as dead.</summary>
    public TimeSpan ClusterCheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    public CircuitBreakerOptions CircuitBreaker { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();
}

/// <summary>Per target host: after <see cref="FailureThreshold"/> consecutive failures, calls fail fast for <see cref="BreakDuration"/>.</summary>
public sealed class CircuitBreakerOptions
{
    public int FailureThreshold { get; set; } = 5;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Publishing of stored events: retried with backoff while SQS does not accept them.</summary>
public sealed class OutboxOptions
{
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often pending rows are looked for without a signal (rows written by another replica).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a claimed row is reserved for its publisher; a crashed publisher's rows are retried after it.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromSeconds(60);
}

/// <summary>Bound from <c>SurgiCaseApi</c>: where relative job URLs point.</summary>
public sealed class SurgiCaseApiOptions
{
    public const string SectionName = "SurgiCaseApi";

    public Uri BaseAddress { get; set; } = new("http://api-simulator");

    /// <summary>
    /// SecretsService secret holding the key sent as <c>X-Api-Key</c> to this API. Empty: no key is sent (and no
    /// SecretsService client is registered). Read once at start-up, when the services are wired.
    /// </summary>
    public string? ApiKeySecretName { get; set; } = "surgicase/api";

    /// <summary>Field of the JSON secret that holds the key.</summary>
    public string ApiKeySecretField { get; set; } = "api_key";
}
