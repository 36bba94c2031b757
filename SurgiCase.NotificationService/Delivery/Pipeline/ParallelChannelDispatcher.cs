using System.Diagnostics;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Posts an alert to every channel whose role for its severity includes <see cref="ChannelRoles.Parallel"/> (by
/// default the webhook for critical alerts, <c>Notifications:Webhook:ParallelSeverities</c>; issue 11.4). Each post has
/// its own delivery-log row (<c>{event id}:{channel}</c>) with its own claim, so each channel is delivered once and
/// recorded on its own: a redelivery after a failed post retries the post and finds the email already sent. It is
/// posted once the email is out: when email fails, the fallback channels already answered, and an alert folded into
/// a storm is not posted at all.
/// </summary>
internal sealed class ParallelChannelDispatcher(IEnumerable<IAlertChannel> channels, IDeliveryLog log, RenderStep render, DeliveryRecorder recorder)
{
    /// <summary>The webhook's row suffix; the delivery log leaves such rows out of what a person acknowledges.</summary>
    public const string EventIdSuffix = ":" + DeliveryChannel.Webhook;

    /// <returns>The first post that failed, or null when every post went out (or none was due).</returns>
    public async Task<DispatchResult?> DispatchAsync(IJobEvent jobEvent, DispatchResult email, CancellationToken cancellationToken)
    {
        if (!Emailed(email))
        {
            return null;
        }

        var severity = AlertSeverities.Name(AlertSeverities.Of(jobEvent));
        DispatchResult? failed = null;
        foreach (var channel in channels.Where(c => c.RolesFor(severity) is var roles && roles.HasFlag(ChannelRoles.Parallel) && !roles.HasFlag(ChannelRoles.Primary)))
        {
            var posted = await PostAsync(channel, jobEvent, severity, email.NotificationId, cancellationToken);
            if (posted?.Outcome == DispatchOutcome.Failed)
            {
                failed ??= posted;
            }
        }

        return failed;
    }

    private async Task<DispatchResult?> PostAsync(IAlertChannel channel, IJobEvent jobEvent, string severity, long emailId, CancellationToken cancellationToken)
    {
        var messageType = DeliveryLogTypes.Of(jobEvent);
        var claim = await log.TryClaimAsync(
            new ClaimRequest($"{jobEvent.EventId}:{channel.Name}", messageType, jobEvent.JobId, jobEvent.JobName, (jobEvent as JobFailed)?.ErrorKind, jobEvent.OccurredAt, severity),
            cancellationToken);
        if (claim.Outcome != ClaimOutcome.Claimed)
        {
            return null; // posted before, or another consumer is posting it
        }

        using var activity = NotificationTelemetry.ActivitySource.StartActivity($"notification {channel.Name}");
        activity?.SetTag("surgicase.event_id", jobEvent.EventId);
        List<string> notes = claim.InDoubt ? [FoldStep.PossibleRepeatNote] : [];

        // The email's row is the alert a person acknowledges; this row only records the post.
        var content = render.Describe(PendingAlert.For(jobEvent, claim, messageType, severity, notes), notes, emailId);
        var message = new ChannelMessage($"event {jobEvent.EventId}", content, EmailRenderer.Render(content), []);
        if (!await log.RecordRenderedInFlightAsync(claim, message.Email.Subject, [], notes.Count == 0 ? null : notes[0], message.Email.Html, channel.RecordedText(message), cancellationToken))
        {
            return new DispatchResult(DispatchOutcome.InProgress, claim.Id);
        }

        var outcome = await channel.SendAsync(message, cancellationToken);
        if (outcome.Delivered)
        {
            return await recorder.PostedBesideAsync(jobEvent.EventId, messageType, channel, claim);
        }

        activity?.SetStatus(ActivityStatusCode.Error, outcome.Error);
        return await recorder.PostBesideFailedAsync(jobEvent.EventId, messageType, channel, claim, outcome.Error ?? "failed");
    }

    private static bool Emailed(DispatchResult email) =>
        email.Outcome == DispatchOutcome.Sent || (email.Outcome == DispatchOutcome.Duplicate && email.PreviousStatus == DeliveryStatus.Sent);
}
