using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// At the end of a storm window, one digest per job of the repeats that were folded into its last alert. The digest
/// is claimed in the delivery log under an id derived from that alert (<c>digest-{job}-{alert id}</c>), so with
/// several replicas running the timer it goes out once; a digest that failed is claimed and sent again on the next
/// tick. A repeat reported by an alert that went out first (the window ended with a new failure, or the recovery)
/// is not reported again: only repeats after the job's last delivered alert are digested.
/// </summary>
internal sealed partial class DigestSender(
    IDeliveryLog log, IServiceScopeFactory scopes, IOptions<NotificationOptions> options, TimeProvider time, ILogger<DigestSender> logger)
{
    /// <summary>The delivery log's <c>message_type</c> of a digest (not a wire type: digests never travel on the queue).</summary>
    public const string MessageType = "alert-digest";

    /// <returns>How many digests this call sent (by any channel).</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var jobId in await log.FindJobsWithUnreportedRepeatsAsync(cancellationToken))
        {
            if (await SendAsync(jobId, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendAsync(string jobId, CancellationToken cancellationToken)
    {
        var prior = await log.FindLastDeliveredAsync(jobId, long.MaxValue, cancellationToken);
        var now = time.GetUtcNow();
        if (prior is not null && now < prior.OccurredAt + options.Value.StormWindow)
        {
            return false; // the window is still open: more repeats may fold into this digest
        }

        var repeats = await log.CountSuppressedAsync(jobId, prior?.Id ?? 0, long.MaxValue, cancellationToken);
        if (repeats.Last is not { } last)
        {
            return false;
        }

        var eventId = $"digest-{jobId}-{prior?.Id ?? 0}";
        var request = new ClaimRequest(eventId, MessageType, jobId, last.JobName, last.ErrorKind, now, last.Severity, last.ErrorMessage);
        var claim = await log.TryClaimAsync(request, cancellationToken);
        if (claim.Outcome != ClaimOutcome.Claimed)
        {
            return false; // another replica sent it or is sending it
        }

        var severity = last.Severity == AlertSeverities.Name(AlertSeverity.Warning) ? AlertSeverity.Warning : AlertSeverity.Critical;
        var digest = new AlertDigest(
            jobId, last.JobName, severity, last.ErrorKind, repeats.Count, prior?.OccurredAt ?? repeats.FirstAt, last.OccurredAt, last.ErrorMessage,
            AlertStormGuard.Summary(repeats, prior));
        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification digest");
        activity?.SetTag("surgicase.job_id", jobId);
        activity?.SetTag("surgicase.digest.count", repeats.Count);

        await using var scope = scopes.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<AlertDelivery>();
        var result = await delivery.DeliverAsync(
            new PendingAlert(claim, eventId, MessageType, last.JobName, AlertSeverities.Name(severity), [], context => DigestRenderer.Describe(digest, context)),
            activity,
            cancellationToken);
        LogDigest(logger, jobId, repeats.Count, result.Outcome);
        return result.Outcome is DispatchOutcome.Sent or DispatchOutcome.FallbackSent;
    }

    [LoggerMessage(EventId = 1130, Level = LogLevel.Information, Message = "Digest of {Count} folded repeats of job {JobId}: {Outcome}")]
    private static partial void LogDigest(ILogger logger, string jobId, int count, DispatchOutcome outcome);
}
