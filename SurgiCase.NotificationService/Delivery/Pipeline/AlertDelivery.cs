using System.Diagnostics;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Delivers a claimed alert: resolve recipients, render, send per channel (each step records its outcome), and, once
/// a critical alert is emailed, schedule its first reminder. Shared by job events (<see cref="NotificationDispatcher"/>)
/// and the digests of folded repeats (<see cref="DigestSender"/>).
/// </summary>
internal sealed class AlertDelivery(RecipientResolver recipients, RenderStep render, ChannelSendStep send, ReminderSchedule reminders)
{
    /// <summary>
    /// Starts the recipients lookup (a call to SecretsService) so it can run while the event is claimed; a lookup whose
    /// alert is not sent after all (a duplicate, a folded repeat) is let go, its outcome observed.
    /// </summary>
    public Task<RecipientResolution> StartResolving(CancellationToken cancellationToken)
    {
        var resolving = recipients.ResolveAsync(cancellationToken);
        _ = resolving.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return resolving;
    }

    public Task<DispatchResult> DeliverAsync(PendingAlert alert, Activity? activity, CancellationToken cancellationToken) =>
        DeliverAsync(alert, recipients.ResolveAsync(cancellationToken), activity, cancellationToken);

    /// <param name="resolving">The recipients lookup, started by <see cref="StartResolving"/>.</param>
    public async Task<DispatchResult> DeliverAsync(PendingAlert alert, Task<RecipientResolution> resolving, Activity? activity, CancellationToken cancellationToken)
    {
        var resolution = await resolving;
        var rendered = render.Render(alert, resolution);
        var callsPrimary = send.CallsPrimary(alert, rendered, resolution);
        RenderedRecord? unrecorded = null;
        if (callsPrimary && alert.Claim.InFlight)
        {
            // Claimed in flight a moment ago, under a lease that covers the whole delivery: no write before the send. The
            // rendered alert is kept with the outcome, in the same write.
            unrecorded = RenderStep.RecordOf(alert, rendered, resolution);
        }
        else if (!await render.RecordAsync(alert, rendered, resolution, callsPrimary, cancellationToken))
        {
            // One write keeps the rendered alert and, when a channel is called next, marks the claim in flight.
            return new DispatchResult(DispatchOutcome.InProgress, alert.Claim.Id);
        }

        activity?.SetTag("surgicase.recipients.count", resolution.Addresses.Count);
        activity?.SetTag("surgicase.recipients.origin", resolution.Origin.ToString());
        var result = await send.SendAsync(alert, rendered, resolution, callsPrimary || alert.Claim.InFlight, unrecorded, activity, cancellationToken);
        if (result.Outcome == DispatchOutcome.Sent && alert.Remind)
        {
            await reminders.StartAsync(alert.Claim.Id);
        }

        return result;
    }
}
