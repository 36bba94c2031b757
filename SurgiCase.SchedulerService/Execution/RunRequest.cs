using System.Diagnostics;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>A run to execute. <paramref name="Parent"/> continues the trace of whoever asked for it (a manual run's HTTP request).</summary>
/// <param name="FireTime">The schedule's fire time a scheduled or catch-up run stands for; null for a run someone asked for.</param>
/// <param name="Recovery">For an automatic recovery run (trigger <c>recovery</c>): the failed run it re-does.</param>
internal sealed record RunRequest(
    string RunId, string JobId, string Trigger, string? RequestedBy, ActivityContext Parent = default, DateTimeOffset? FireTime = null,
    Storage.PendingRecovery? Recovery = null);
