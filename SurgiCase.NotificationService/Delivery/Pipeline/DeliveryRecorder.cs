using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The pipeline's last step, "record": writes each outcome to the delivery log (fenced on the claim), counts it, sets
/// the delivery health and logs it. Its log lines keep the <see cref="NotificationDispatcher"/> category, which the
/// README names for the seed's "✅ Job failure notification sent successfully" line.
/// </summary>
internal sealed partial class DeliveryRecorder(IDeliveryLog log, NotificationTelemetry telemetry, DeliveryHealth health, ILogger<NotificationDispatcher> logger)
{
    public DispatchResult Duplicate(string eventId, string messageType, ClaimResult claim)
    {
        telemetry.Deduplicated(messageType);
        LogDuplicate(logger, eventId, claim.Status);
        return new DispatchResult(DispatchOutcome.Duplicate, claim.Id, PreviousStatus: claim.Status);
    }

    public DispatchResult ReusedEventId(IJobEvent jobEvent, ClaimResult claim)
    {
        LogReusedEventId(logger, ControlCharacters.Strip(jobEvent.EventId), ControlCharacters.Strip(jobEvent.JobId), claim.Id, claim.Status);
        return new DispatchResult(
            DispatchOutcome.ReusedEventId, claim.Id, $"event id reused with different content (delivery log #{claim.Id} holds the original, {claim.Status})");
    }

    /// <summary>The claim's lease ran out and another consumer took the row over: leave the event to it.</summary>
    public DispatchResult ClaimLost(string eventId, ClaimResult claim)
    {
        LogClaimLost(logger, eventId, claim.Attempts);
        return new DispatchResult(DispatchOutcome.InProgress, claim.Id);
    }

    public async Task<DispatchResult> SuppressedAsync(IJobEvent jobEvent, string messageType, ClaimResult claim, string note, CancellationToken cancellationToken)
    {
        if (!await log.MarkSuppressedAsync(claim, note, cancellationToken))
        {
            return ClaimLost(jobEvent.EventId, claim);
        }

        telemetry.Suppressed(messageType);
        LogSuppressed(logger, jobEvent.EventId, jobEvent.JobId);
        return new DispatchResult(DispatchOutcome.Suppressed, claim.Id);
    }

    /// <param name="primaryFailure">Why the primary channels failed, when a fallback delivered; null when a primary did.</param>
    /// <param name="unrecorded">The rendered alert, when it was not recorded before the send: kept in the same write.</param>
    public async Task<DispatchResult> DeliveredAsync(
        PendingAlert alert, IAlertChannel channel, ChannelOutcome outcome, string? primaryFailure, int recipientCount, RenderedRecord? unrecorded = null)
    {
        var status = primaryFailure is null ? DeliveryStatus.Sent : DeliveryStatus.FallbackSent;

        // CancellationToken.None: the alert is out; a cancelled record would get it sent again after a restart.
        if (!await log.MarkDeliveredAsync(alert.Claim, status, channel.Name, outcome.MessageId, primaryFailure, unrecorded, CancellationToken.None))
        {
            // Sent, but the claim had run out and another consumer owns the row: it sends again, noting the possible repeat.
            LogSentAfterClaimLost(logger, alert.EventId, alert.Claim.Attempts);
        }

        telemetry.Sent(alert.MessageType, channel.Name);
        health.Delivered();
        if (primaryFailure is not null)
        {
            LogFallbackSent(logger, alert.EventId, channel.Name, primaryFailure);
            return new DispatchResult(DispatchOutcome.FallbackSent, alert.Claim.Id, primaryFailure);
        }

        LogSent(logger, alert.EventId, channel.Name, recipientCount, outcome.MessageId ?? "-");
        if (alert.MessageType != MessageTypes.JobRecovered)
        {
            LogSeedFailureNotificationSent(logger, alert.JobName);
        }

        return new DispatchResult(DispatchOutcome.Sent, alert.Claim.Id);
    }

    public async Task<DispatchResult> AllChannelsFailedAsync(PendingAlert alert, string error, RenderedRecord? unrecorded, CancellationToken cancellationToken)
    {
        await log.MarkFailedAsync(alert.Claim, error, unrecorded, cancellationToken);
        telemetry.Failed(alert.MessageType);
        health.AllChannelsFailed(alert.EventId, error);
        LogAllChannelsFailed(logger, alert.EventId, alert.JobName, error);
        return new DispatchResult(DispatchOutcome.Failed, alert.Claim.Id, error);
    }

    /// <summary>Shutting down mid-send: release the claim so the redelivered message is not blocked for a lease.</summary>
    public Task ReleaseAsync(ClaimResult claim) => log.MarkFailedAsync(claim, "Interrupted by shutdown", CancellationToken.None);

    /// <summary>A post beside the primary (its own row): delivered.</summary>
    public async Task<DispatchResult> PostedBesideAsync(string eventId, string messageType, IAlertChannel channel, ClaimResult claim)
    {
        await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, channel.Name, null, null, CancellationToken.None);
        telemetry.Sent(messageType, channel.Name);
        LogPostedBeside(logger, eventId, channel.Name);
        return new DispatchResult(DispatchOutcome.Sent, claim.Id);
    }

    /// <summary>A post beside the primary failed: its row says so and the message is kept, so the post is retried.</summary>
    public async Task<DispatchResult> PostBesideFailedAsync(string eventId, string messageType, IAlertChannel channel, ClaimResult claim, string error)
    {
        await log.MarkFailedAsync(claim, error, CancellationToken.None);
        telemetry.Failed(messageType);
        LogPostBesideFailed(logger, eventId, channel.Name, error);
        return new DispatchResult(DispatchOutcome.Failed, claim.Id, error);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Claim on event {EventId} (attempt {Attempt}) ran out and was taken over; leaving it to the new owner")]
    private static partial void LogClaimLost(ILogger logger, string eventId, int attempt);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Alert for event {EventId} (attempt {Attempt}) was sent after its claim ran out; the new owner resends it marked as a possible repeat")]
    private static partial void LogSentAfterClaimLost(ILogger logger, string eventId, int attempt);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Event {EventId} was already delivered ({Status}); not sending again")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string status);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Critical, Message = "REUSED EVENT ID {EventId} (job {JobId}): the delivery log's row {NotificationId} ({Status}) holds different content for it. Not emailed; the message goes to the DLQ as poison")]
    private static partial void LogReusedEventId(ILogger logger, string eventId, string jobId, long notificationId, string status);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Event {EventId} of job {JobId} repeats an alert sent within the storm window; recorded, not sent")]
    private static partial void LogSuppressed(ILogger logger, string eventId, string jobId);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Information, Message = "Alert for event {EventId} sent by {Channel} to {RecipientCount} recipients, message {MessageId}")]
    private static partial void LogSent(ILogger logger, string eventId, string channel, int recipientCount, string messageId);

    /// <summary>The seed runbook's line ("Step 3: Verify in Production"); operators search for this exact text.</summary>
    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "✅ Job failure notification sent successfully for {JobName}")]
    private static partial void LogSeedFailureNotificationSent(ILogger logger, string jobName);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Alert for event {EventId} went to the fallback {Channel} because email failed: {Reason}")]
    private static partial void LogFallbackSent(ILogger logger, string eventId, string channel, string reason);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Critical, Message = "ALERT NOT DELIVERED for event {EventId} (job {JobName}): {Error}. The message stays in the queue and then the DLQ")]
    private static partial void LogAllChannelsFailed(ILogger logger, string eventId, string jobName, string error);

    [LoggerMessage(EventId = 1110, Level = LogLevel.Information, Message = "Alert for event {EventId} posted to the {Channel} beside the email")]
    private static partial void LogPostedBeside(ILogger logger, string eventId, string channel);

    [LoggerMessage(EventId = 1111, Level = LogLevel.Error, Message = "Posting the alert for event {EventId} to the {Channel} beside the email failed ({Error}); the message is kept for a retry")]
    private static partial void LogPostBesideFailed(ILogger logger, string eventId, string channel, string error);
}
