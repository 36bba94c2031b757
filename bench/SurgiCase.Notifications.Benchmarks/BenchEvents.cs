using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.Notifications.Benchmarks;

/// <summary>Realistic alert events (a full failure is the largest email) and the render context.</summary>
internal static class BenchEvents
{
    public static readonly DateTimeOffset At = new(2025, 10, 20, 9, 0, 5, TimeSpan.Zero);

    public static readonly RenderContext Context = new("4bf92f3577b34da6a3ce929d0e0e4736", new Uri("http://localhost:5100/"));

    public static JobFailed Failed(int i = 0) => new(
        Guid.NewGuid().ToString("N"), At, $"weekly-provider-payment-report-{i}", $"Weekly Provider Payment Report #{i}",
        $"run-{i}", "scheduler-1", Triggers.Schedule, 3, ErrorKinds.HttpStatus,
        "API returned 500 Internal Server Error <after 3 attempts> & gave up",
        new ExceptionInfo(
            "System.Net.Http.HttpRequestException",
            "Response status code does not indicate success: 500 (Internal Server Error).",
            "   at System.Net.Http.HttpResponseMessage.EnsureSuccessStatusCode()\n" +
            "   at SurgiCase.SchedulerService.Execution.ReportJobExecutor.ExecuteAsync(JobDefinition job, CancellationToken cancellationToken)\n" +
            "   at Quartz.Core.JobRunShell.Run(CancellationToken cancellationToken)"),
        new Dictionary<string, string> { ["Endpoint"] = "/reports/provider-payments?week=2025-W43", ["HTTP status"] = "500", ["Duration"] = "12.4 s" },
        ["Check the SurgiCase API logs", "Check if the API server is running", "Run the job again from the operations page"]);

    public static JobPartiallyFailed Partial() => new(
        Guid.NewGuid().ToString("N"), At, "weekly-individual-provider-reports", "Weekly Individual Provider Reports", "run-2", "scheduler-1",
        Succeeded: 40, Failed: 2, Total: 42, FailedItems: ["provider-17", "provider-23"], Warnings: ["slow response from NPI registry"]);

    public static JobRecovered Recovered() => new(
        Guid.NewGuid().ToString("N"), At.AddHours(4), "weekly-provider-payment-report", "Weekly Provider Payment Report", "run-3", "scheduler-1",
        FailedSince: At, FailedRuns: 3);
}
