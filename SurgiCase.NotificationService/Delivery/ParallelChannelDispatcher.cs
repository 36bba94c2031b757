using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Posts an alert of the chosen severities (<c>Notifications:Webhook:ParallelSeverities</c>, default critical) to the
/// Slack or JSON webhook beside the email (issue 11.4). The post has its own delivery-log row (<c>{event id}:webhook</c>)
/// with its own claim, so each channel is delivered once and recorded on its own: a redelivery after a failed post
/// retries the post and finds the email already sent. It is posted once the email is out: when email fails, the same
/// webhook is already the fallback (so Slack hears of it either way, once), and an alert folded into a storm is not
/// posted at all.
/// </summary>
internal sealed partial class ParallelChannelDispatcher(
    IDeliveryLog log,
    IFallbackChannel webhook,
    IOptions<WebhookOptions> webhookOptions,
    IOptions<NotificationOptions> options,
    AcknowledgeLinks acknowledgeLinks,
    NotificationTelemetry telemetry,
    ILogger<ParallelChannelDispatcher> logger)
{
    public const string EventIdSuffix = ":webhook";

    /// <returns>The post's outcome, or null when this alert is not posted beside the email.</returns>
    public async Task<DispatchResult?> DispatchAsync(IJobEvent jobEvent, DispatchResult email, CancellationToken cancellationToken)
    {
        var severity = AlertSeverities.Name(AlertSeverities.Of(jobEvent));
        if (!webhook.IsConfigured || !webhookOptions.Value.PostsInParallel(severity) || !Emailed(email))
        {
            return null;
        }

        var messageType = MessageTypes.For(jobEvent);
        var eventId = jobEvent.EventId + EventIdSuffix;
        var claim = await log.TryClaimAsync(
            new ClaimRequest(eventId, messageType, jobEvent.JobId, jobEvent.JobName, (jobEvent as JobFailed)?.ErrorKind, jobEvent.OccurredAt, severity),
            cancellationToken);
        if (claim.Outcome != ClaimOutcome.Claimed)
        {
            return null; // posted before, or another consumer is posting it
        }

        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification webhook");
        activity?.SetTag("surgicase.event_id", jobEvent.EventId);
        List<string> notes = claim.InDoubt ? [NotificationDispatcher.PossibleRepeatNote] : [];
        var content = EmailRenderer.Describe(jobEvent, new RenderContext(Activity.Current?.TraceId.ToHexString(), options.Value.OperationsPageUrl, notes));
        if (AcknowledgeLinks.IsAcknowledgeable(jobEvent))
        {
            // The email's row is the alert a person acknowledges; this row only records the post.
            content = content with { AcknowledgeUrl = acknowledgeLinks.For(email.NotificationId) };
        }

        var rendered = EmailRenderer.Render(content);
        if (!await log.RecordRenderedAsync(claim, rendered.Subject, [], notes.Count == 0 ? null : notes[0], rendered.Html, SlackText.Write(content, null), cancellationToken)
            || !await log.MarkInFlightAsync(claim, cancellationToken))
        {
            return new DispatchResult(DispatchOutcome.InProgress, claim.Id);
        }

        try
        {
            await webhook.SendAsync(content, null, cancellationToken);
            await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Webhook, null, null, CancellationToken.None);
            telemetry.Sent(messageType, DeliveryChannel.Webhook);
            LogPosted(logger, jobEvent.EventId);
            return new DispatchResult(DispatchOutcome.Sent, claim.Id);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"webhook failed: {e.GetType().Name}";
            activity?.SetStatus(ActivityStatusCode.Error, error);
            await log.MarkFailedAsync(claim, error, CancellationToken.None);
            telemetry.Failed(messageType);
            LogPostFailed(logger, jobEvent.EventId, e.GetType().Name);
            return new DispatchResult(DispatchOutcome.Failed, claim.Id, error);
        }
    }

    private static bool Emailed(DispatchResult email) =>
        email.Outcome == DispatchOutcome.Sent || (email.Outcome == DispatchOutcome.Duplicate && email.PreviousStatus == DeliveryStatus.Sent);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert for event {EventId} posted to the webhook beside the email")]
    private static partial void LogPosted(ILogger logger, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Posting the alert for event {EventId} to the webhook beside the email failed ({ErrorType}); the message is kept for a retry")]
    private static partial void LogPostFailed(ILogger logger, string eventId, string errorType);
}
