using SurgiCase.Operations.Components;
using SurgiCase.Operations.Jobs;

namespace SurgiCase.Operations.Tests;

/// <summary>Jobs, runs and pages as the scheduler would hand them to the page.</summary>
internal static class PageData
{
    public static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-01-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    public static PageContext Page(string? notice = null) =>
        new(Now, new AntiforgeryField("__af", "token-value"), "operator", new OperationsOptions(), notice);

    public static JobInfo Job(string id, string name = "Weekly Referral Report", bool enabled = true, bool critical = true, string cron = "0 0 9 ? * MON") =>
        new(id, name, cron, "UTC", "cluster", enabled, critical, "POST", "/api/reports/referral", 300, 1);

    public static RunInfo Run(string id, string outcome, string? error = null, string? traceId = null) =>
        new(id, "manual", "operator", Now.AddMinutes(-3), Now.AddMinutes(-3), Now.AddMinutes(-2), outcome, 1,
            error is null ? null : "HttpStatus", error, traceId);

    public static JobOverview Overview(JobInfo job, RunInfo? last = null, PauseInfo? pause = null, DateTimeOffset? missed = null) =>
        new(job, last, job.Enabled && pause is null ? Now.AddDays(1) : null, pause, missed);
}
