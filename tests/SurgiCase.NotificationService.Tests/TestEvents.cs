using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Realistic events, as the scheduler publishes them.</summary>
internal static class TestEvents
{
    public static readonly DateTimeOffset At = new(2025, 10, 20, 9, 0, 5, TimeSpan.Zero);

    public static JobFailed Failed(string? eventId = null, string errorMessage = "API returned 500 Internal Server Error", string errorKind = ErrorKinds.HttpStatus) => new(
        EventId: eventId ?? Guid.NewGuid().ToString("N"),
        OccurredAt: At,
        JobId: "weekly-provider-payment-report",
        JobName: "Weekly Provider Payment Report",
        RunId: "run-20251020-0900",
        Host: "scheduler-1",
        Trigger: Triggers.Schedule,
        Attempt: 3,
        ErrorKind: errorKind,
        ErrorMessage: errorMessage,
        Exception: new ExceptionInfo("System.Net.Http.HttpRequestException", "Response status code does not indicate success: 500",
            "   at SurgiCase.SchedulerService.Jobs.ReportJob.RunAsync()\n   at Quartz.Core.JobRunShell.Run()"),
        Details: new Dictionary<string, string> { ["Endpoint"] = "/reports/provider-payments", ["Status"] = "500" },
        Troubleshooting: ["Check the SurgiCase API logs", "Check if the API server is running"]);

    public static JobPartiallyFailed Partial() => new(
        Guid.NewGuid().ToString("N"), At, "weekly-individual-provider-reports", "Weekly Individual Provider Reports", "run-2", "scheduler-1",
        Succeeded: 40, Failed: 2, Total: 42, FailedItems: ["provider-17", "provider-23"], Warnings: ["slow response from NPI registry"]);

    public static JobRecovered Recovered() => new(
        Guid.NewGuid().ToString("N"), At.AddHours(4), "weekly-provider-payment-report", "Weekly Provider Payment Report", "run-3", "scheduler-1",
        FailedSince: At, FailedRuns: 3);
}
