using System.Diagnostics;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Recipients;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Delivers a claimed alert: resolve recipients, render, send per channel (each step records its outcome), and, once
/// a critical alert is emailed, schedule its first reminder. Shared by job events (<see cref="NotificationDispatcher"/>)
/// and the digests of folded repeats (<see cref="DigestSender"/>).
/// </summary>
internal sealed class AlertDelivery(RecipientResolver recipients, RenderStep render, ChannelSendStep send, ReminderSchedule reminders)
{
    public async Task<DispatchResult> DeliverAsync(PendingAlert alert, Activity? activity, CancellationToken cancellationToken)
    {
        var resolution = await recipients.ResolveAsync(cancellationToken);
        if (await render.RenderAsync(alert, resolution, cancellationToken) is not { } rendered)
        {
            return new DispatchResult(DispatchOutcome.InProgress, alert.Claim.Id);
        }

        activity?.SetTag("surgicase.recipients.count", resolution.Addresses.Count);
        activity?.SetTag("surgicase.recipients.origin", resolution.Origin.ToString());
        var result = await send.SendAsync(alert, rendered, resolution, activity, cancellationToken);
        if (result.Outcome == DispatchOutcome.Sent && alert.Remind)
        {
            await reminders.StartAsync(alert.Claim.Id);
        }

        return result;
    }
}
