using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

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
    RunRecord? LastRun,
    bool Paused = false,
    string? PausedBy = null,
    DateTimeOffset? PausedAt = null);

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
    RunRecord? LastRun,
    bool Paused = false,
    string? PausedBy = null,
    DateTimeOffset? PausedAt = null,
    TimeSpan? MissedRunGrace = null,
    IReadOnlyList<JobAction>? RecentActions = null);

/// <summary>The answer to <c>POST /jobs/{id}/run</c>.</summary>
public sealed record RunAccepted(string RunId, string JobId, string Status, string? Note = null);

/// <summary>The answer to <c>POST /jobs/{id}/pause</c> and <c>/resume</c>.</summary>
public sealed record PauseState(string JobId, bool Paused, bool Changed, string? PausedBy, DateTimeOffset? PausedAt, string Note);

/// <summary>A page of a run's failed items: <see cref="Total"/> of them in all, these from <see cref="Offset"/> on.</summary>
public sealed record FailedItemsPage(string RunId, int Total, int Offset, IReadOnlyList<string> Items);
