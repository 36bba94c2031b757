using System.Diagnostics;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The pipeline's "send per channel" step: the primary channels in registration order until one delivers; when all of
/// them fail, the fallback channels in order until one delivers. Channels beside the primary are
/// <see cref="ParallelChannelDispatcher"/>'s. With the default registrations: email, then the webhook as the fallback.
/// </summary>
internal sealed class ChannelSendStep(IEnumerable<IAlertChannel> channels, IDeliveryLog log, DeliveryRecorder recorder)
{
    private readonly IReadOnlyList<IAlertChannel> _channels = channels.ToList();

    /// <summary>Whether a primary channel will be called (one does not refuse the alert): its claim goes in flight first.</summary>
    public bool CallsPrimary(PendingAlert alert, RenderedAlert rendered, RecipientResolution recipients)
    {
        var message = MessageFor(alert, rendered, recipients);
        return InRole(alert.Severity, ChannelRoles.Primary).Any(channel => channel.Refusal(message) is null);
    }

    /// <param name="markedInFlight">The claim is in flight already (taken so, or marked with the rendered alert, <see cref="CallsPrimary"/>).</param>
    /// <param name="unrecorded">The rendered alert when it was not recorded before the send: kept with the outcome.</param>
    public async Task<DispatchResult> SendAsync(
        PendingAlert alert, RenderedAlert rendered, RecipientResolution recipients, bool markedInFlight, RenderedRecord? unrecorded, Activity? activity,
        CancellationToken cancellationToken)
    {
        var message = MessageFor(alert, rendered, recipients);
        string? failure = null;
        var inFlight = markedInFlight;
        foreach (var channel in InRole(alert.Severity, ChannelRoles.Primary))
        {
            if (channel.Refusal(message) is { } refusal)
            {
                failure = Join(failure, refusal);
                continue;
            }

            // From here a takeover cannot know whether the channel took the alert: it resends with the possible-repeat note.
            if (!inFlight)
            {
                if (!await log.MarkInFlightAsync(alert.Claim, cancellationToken))
                {
                    return recorder.ClaimLost(alert.EventId, alert.Claim);
                }

                inFlight = true;
            }

            var outcome = await channel.SendAsync(message, cancellationToken);
            if (outcome.Delivered)
            {
                return await recorder.DeliveredAsync(alert, channel, outcome, null, recipients.Addresses.Count, unrecorded);
            }

            failure = Join(failure, outcome.Error);
        }

        failure ??= "No primary channel is configured.";
        activity?.SetStatus(ActivityStatusCode.Error, failure);
        var error = failure;
        var fallbacks = InRole(alert.Severity, ChannelRoles.Fallback).Where(c => !c.RolesFor(alert.Severity).HasFlag(ChannelRoles.Primary)).ToList();
        foreach (var channel in fallbacks)
        {
            var fallbackMessage = message with { EarlierFailure = failure };
            var outcome = channel.Refusal(fallbackMessage) is { } refusal
                ? ChannelOutcome.Failed(refusal)
                : await channel.SendAsync(fallbackMessage, cancellationToken);
            if (outcome.Delivered)
            {
                return await recorder.DeliveredAsync(alert, channel, outcome, failure, recipients.Addresses.Count, unrecorded);
            }

            error = $"{error}; {outcome.Error}";
        }

        if (fallbacks.Count == 0)
        {
            error = $"{failure}; no fallback channel is configured";
        }

        return await recorder.AllChannelsFailedAsync(alert, error, unrecorded, cancellationToken);
    }

    private static ChannelMessage MessageFor(PendingAlert alert, RenderedAlert rendered, RecipientResolution recipients) =>
        new($"event {alert.EventId}", rendered.Content, rendered.Email, recipients.Addresses, recipients.FallbackNote);

    private IEnumerable<IAlertChannel> InRole(string severity, ChannelRoles role) => _channels.Where(c => c.RolesFor(severity).HasFlag(role));

    private static string Join(string? earlier, string? error) => earlier is null ? error ?? "failed" : $"{earlier}; {error}";
}
