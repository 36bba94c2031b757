using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Runs;

namespace SurgiCase.SchedulerService.Endpoints;

/// <summary>A job as <c>GET /jobs</c> shows it.</summary>
public sealed record JobSummary(
    string Id,
    string Name,
    string Cron,
    string TimeZone,
    string Scope,
    bool Enabled,
    bool Critical,
    DateTimeOffset? NextRunAt,
    RunRecord? LastRun);

/// <summary>A job as <c>GET /jobs/{id}</c> shows it.</summary>
public sealed record JobDetails(
    string Id,
    string Name,
    string DisplayName,
    string Cron,
    string TimeZone,
    string Scope,
    bool Enabled,
    bool Critical,
    string Method,
    string Url,
    int TimeoutSeconds,
    RetryPolicyOptions Retry,
    IReadOnlyList<string> Troubleshooting,
    DateTimeOffset? NextRunAt,
    RunRecord? LastRun);

/// <summary>The answer to <c>POST /jobs/{id}/run</c>.</summary>
public sealed record RunAccepted(string RunId, string JobId, string Status);
