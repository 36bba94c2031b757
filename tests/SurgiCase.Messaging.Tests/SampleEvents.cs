using SurgiCase.Messaging.Contracts;
using SurgiCase.Messaging.Sqs;

namespace SurgiCase.Messaging.Tests;

internal static class SampleEvents
{
    private static readonly DateTimeOffset At = new(2025, 10, 20, 8, 12, 40, TimeSpan.Zero);

    /// <summary>Collections left null so record equality holds after a round trip.</summary>
    public static JobFailed SimpleFailure(string? eventId = null) => new(
        eventId ?? Guid.NewGuid().ToString("N"),
        At,
        "weekly-provider-payment-report",
        "Weekly provider payment report",
        Guid.NewGuid().ToString("N"),
        "scheduler-1",
        Triggers.Schedule,
        3,
        ErrorKinds.SecretsUnavailable,
        "InternalServiceError: Dependency exception");

    public static JobFailed FullFailure() => SimpleFailure() with
    {
        Exception = new ExceptionInfo("Amazon.SecretsManager.InternalServiceError", "Dependency exception", "at X.Y()"),
        Details = new Dictionary<string, string> { ["secret"] = "surgicase/api", ["status"] = "500" },
        Troubleshooting = ["Check AWS Health Dashboard", "Run the job again from the operations page"],
        AttemptErrors = [new AttemptError(1, At, ErrorKinds.Timeout, "timed out after 300 s")],
    };

    /// <summary>The early warning: attempt 1 of 3 timed out and the run retries.</summary>
    public static JobFailed AttemptTimedOut() => SimpleFailure() with
    {
        Attempt = 1,
        ErrorKind = ErrorKinds.Timeout,
        Severity = Severities.Warning,
        RetryAt = At.AddMinutes(5),
        MaxAttempts = 3,
    };

    public static JobPartiallyFailed PartialFailure() => new(
        Guid.NewGuid().ToString("N"),
        At,
        "weekly-individual-provider-reports",
        "Weekly individual provider reports",
        "run-7",
        "scheduler-2",
        Succeeded: 40,
        Failed: 2,
        Total: 42,
        FailedItems: ["provider-17", "provider-23"],
        Warnings: ["provider-17 has no email"],
        Trigger: Triggers.Manual,
        Details: new Dictionary<string, string> { ["week"] = "2025-W43" },
        Troubleshooting: ["Check the provider records"]);

    public static JobRecovered Recovery() => new(
        Guid.NewGuid().ToString("N"),
        At.AddHours(4),
        "weekly-provider-payment-report",
        "Weekly provider payment report",
        "run-9",
        "scheduler-1",
        FailedSince: At,
        FailedRuns: 2);
}
