using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// Steps shown when an event brings none of its own, by error kind, in the spirit of the seed's
/// notifier ("Check if the API server is running").
/// </summary>
internal static class Troubleshooting
{
    public static IReadOnlyList<string> DefaultFor(string? errorKind) => errorKind switch
    {
        ErrorKinds.HttpStatus =>
        [
            "Check the SurgiCase API logs for the failing request around the time above.",
            "Verify the API is healthy (GET /health) and that its dependencies (database, secrets) are reachable.",
            "Re-run the job from the operations page once the API answers normally.",
        ],
        ErrorKinds.Redirected =>
        [
            "The API answered with a redirect, which the scheduler does not follow (it would carry the API key elsewhere).",
            "Check the job's URL and the API's address: point the job at the address the API now answers on.",
            "Re-run the job from the operations page once the URL is corrected.",
        ],
        ErrorKinds.Timeout =>
        [
            "The report did not finish within its timeout: check the API server's load and the database for long-running queries.",
            "Check whether the report's data volume grew unusually this week.",
            "Re-run the job from the operations page when the system is quieter.",
        ],
        ErrorKinds.ConnectionFailed =>
        [
            "Check if the API server is running and reachable from the scheduler host.",
            "Check DNS, firewall and load-balancer health for the API address.",
            "Re-run the job from the operations page once the API is back.",
        ],
        ErrorKinds.MissedRun =>
        [
            "The job did not run at its scheduled time: check that the scheduler service was running.",
            "Check the scheduler's health endpoint and recent restarts.",
            "Run the job now from the operations page.",
        ],
        ErrorKinds.SecretsUnavailable =>
        [
            "Check the AWS Health Dashboard and the Secrets Manager status for the region.",
            "Check the SecretsService /health and /cache endpoints: is it serving stale values or nothing?",
            "Re-run the job from the operations page once secrets are available.",
        ],
        _ =>
        [
            "Read the exception and stack trace above.",
            "Check the service logs and the trace for this run (trace id below).",
            "Re-run the job from the operations page; escalate if it fails again.",
        ],
    };

    public static IReadOnlyList<string> ForPartialFailure =>
    [
        "Review the failed items above and check the API logs for each.",
        "Re-run the job for the failed items, or the whole job, from the operations page.",
    ];
}
