using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The pipeline's first step, "claim": takes the event id in the delivery log, so each event is delivered once across
/// redeliveries, restarts and replicas. Meeting another consumer's live claim, it waits for that one's outcome, or for
/// its lease to run out if it died.
/// </summary>
internal sealed class ClaimStep(IDeliveryLog log, IOptions<NotificationOptions> options, TimeProvider time, DeliveryRecorder recorder)
{
    private const int MaxErrorMessage = 1000;

    /// <returns>The claim, and the event's result when there is nothing to send (delivered before, in progress, reused id).</returns>
    public async Task<(ClaimResult Claim, DispatchResult? Done)> ClaimAsync(IJobEvent jobEvent, string messageType, string severity, Activity? activity, CancellationToken cancellationToken)
    {
        var request = new ClaimRequest(
            jobEvent.EventId, messageType, jobEvent.JobId, jobEvent.JobName, (jobEvent as JobFailed)?.ErrorKind, jobEvent.OccurredAt, severity,
            ErrorMessageOf(jobEvent), EventContentHash.Of(jobEvent), InFlight: true);
        // The claim itself is not cancelled half-way: a claim written while the host stops, with the cancellation seen
        // only after the write, would hold the event for a whole lease with nobody to give it back. Cancellation is
        // checked before each attempt instead, and a claim taken is given back by the caller (ReleaseAsync).
        cancellationToken.ThrowIfCancellationRequested();
        var claim = await log.TryClaimAsync(request, CancellationToken.None);

        var giveUpAt = time.GetUtcNow() + options.Value.ClaimLease + options.Value.ClaimPollInterval;
        while (claim.Outcome == ClaimOutcome.InProgress && time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(options.Value.ClaimPollInterval, time, cancellationToken);
            claim = await log.TryClaimAsync(request, CancellationToken.None);
        }

        activity?.SetTag("surgicase.claim", claim.Outcome.ToString());
        switch (claim.Outcome)
        {
            case ClaimOutcome.AlreadyDelivered:
                return (claim, recorder.Duplicate(jobEvent.EventId, messageType, claim));
            case ClaimOutcome.InProgress:
                return (claim, new DispatchResult(DispatchOutcome.InProgress, claim.Id));
            case ClaimOutcome.ContentConflict:
                activity?.SetStatus(ActivityStatusCode.Error, "reused event id");
                return (claim, recorder.ReusedEventId(jobEvent, claim));
            default:
                return (claim, null);
        }
    }

    /// <summary>Shutting down mid-send: the claim is given back so the redelivered message is not blocked for a lease.</summary>
    public Task ReleaseAsync(ClaimResult claim) => recorder.ReleaseAsync(claim);

    /// <summary>What a digest can name as the last error: the failure's message, or a partial failure's count (capped).</summary>
    private static string? ErrorMessageOf(IJobEvent jobEvent)
    {
        var message = jobEvent switch
        {
            JobFailed failed => failed.ErrorMessage,
            JobPartiallyFailed partial => $"{partial.Failed} of {partial.Total} items failed",
            _ => null,
        };
        return message is { Length: > MaxErrorMessage } ? message[..MaxErrorMessage] + "…" : message;
    }
}
