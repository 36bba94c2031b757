using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Telemetry;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// One event to at most one email: claim the event id in the delivery log, resolve the recipients,
/// render, send through SES (with retries), fall back to the webhook when email cannot be sent, and
/// record the outcome. Runs inside the consumer's span so the SES call joins the job's trace. A critical alert carries
/// an acknowledge link and, once emailed, waits for its reminders (<see cref="ReminderSender"/>); a recovery ends them.
/// </summary>
internal sealed partial class NotificationDispatcher(
    IDeliveryLog log,
    RecipientResolver recipients,
    SesEmailChannel email,
    IFallbackChannel fallback,
    AlertStormGuard storms,
    IAcknowledgementLog acknowledgements,
    AcknowledgeLinks acknowledgeLinks,
    IOptions<AcknowledgementOptions> acknowledgementOptions,
    DeliveryHealth health,
    NotificationTelemetry telemetry,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<NotificationDispatcher> logger)
{
    /// <summary>Shown on a resend whose earlier attempt may have got through (issue 12.3): a duplicate is never unexplained.</summary>
    public const string PossibleRepeatNote = "Possible repeat: an earlier attempt may have been delivered (its sender stopped before recording the outcome).";

    private const int MaxErrorMessage = 1000;

    public async Task<DispatchResult> DispatchAsync(IJobEvent jobEvent, CancellationToken cancellationToken)
    {
        var messageType = MessageTypes.For(jobEvent);
        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification deliver");
        activity?.SetTag("messaging.message.type", messageType);
        activity?.SetTag("surgicase.event_id", jobEvent.EventId);
        activity?.SetTag("surgicase.job_id", jobEvent.JobId);

        var errorKind = (jobEvent as JobFailed)?.ErrorKind;
        var severity = AlertSeverities.Name(AlertSeverities.Of(jobEvent));
        activity?.SetTag("surgicase.severity", severity);
        var request = new ClaimRequest(
            jobEvent.EventId, messageType, jobEvent.JobId, jobEvent.JobName, errorKind, jobEvent.OccurredAt, severity, ErrorMessageOf(jobEvent),
            EventContentHash.Of(jobEvent));
        if (jobEvent is JobRecovered)
        {
            // Before the claim, and again on a redelivery: ending reminders twice changes nothing.
            await acknowledgements.EndRemindersAsync(jobEvent.JobId, jobEvent.OccurredAt, $"job recovered at {EmailRenderer.Utc(jobEvent.OccurredAt)}", cancellationToken);
        }

        var claim = await log.TryClaimAsync(request, cancellationToken);

        // Another consumer is sending it: wait for its outcome, or for its lease to run out if it died.
        var giveUpAt = time.GetUtcNow() + options.Value.ClaimLease + options.Value.ClaimPollInterval;
        while (claim.Outcome == ClaimOutcome.InProgress && time.GetUtcNow() < giveUpAt)
        {
            await Task.Delay(options.Value.ClaimPollInterval, time, cancellationToken);
            claim = await log.TryClaimAsync(request, cancellationToken);
        }
        activity?.SetTag("surgicase.claim", claim.Outcome.ToString());

        switch (claim.Outcome)
        {
            case ClaimOutcome.AlreadyDelivered:
                telemetry.Deduplicated(messageType);
                LogDuplicate(logger, jobEvent.EventId, claim.Status);
                return new DispatchResult(DispatchOutcome.Duplicate, claim.Id, PreviousStatus: claim.Status);
            case ClaimOutcome.InProgress:
                return new DispatchResult(DispatchOutcome.InProgress, claim.Id);
            case ClaimOutcome.ContentConflict:
                var reason = $"event id reused with different content (delivery log #{claim.Id} holds the original, {claim.Status})";
                activity?.SetStatus(ActivityStatusCode.Error, "reused event id");
                LogReusedEventId(logger, ControlCharacters.Strip(jobEvent.EventId), ControlCharacters.Strip(jobEvent.JobId), claim.Id, claim.Status);
                return new DispatchResult(DispatchOutcome.ReusedEventId, claim.Id, reason);
        }

        try
        {
            if (await storms.SuppressionNoteAsync(jobEvent, claim.Id, cancellationToken) is { } suppressed)
            {
                if (!await log.MarkSuppressedAsync(claim, suppressed, cancellationToken))
                {
                    return ClaimLost(jobEvent.EventId, claim);
                }

                telemetry.Suppressed(messageType);
                LogSuppressed(logger, jobEvent.EventId, jobEvent.JobId);
                return new DispatchResult(DispatchOutcome.Suppressed, claim.Id);
            }

            var notes = new List<string>();
            if (claim.InDoubt)
            {
                notes.Add(PossibleRepeatNote);
            }

            if (await storms.RepeatSummaryAsync(jobEvent, claim.Id, cancellationToken) is { } repeats)
            {
                notes.Add(repeats);
            }

            var alert = new PendingAlert(claim, jobEvent.EventId, messageType, jobEvent.JobName, notes, context => EmailRenderer.Describe(jobEvent, context))
            {
                Acknowledgeable = AcknowledgeLinks.IsAcknowledgeable(jobEvent),
                Remind = AcknowledgeLinks.GetsReminders(jobEvent),
            };
            return await DeliverAsync(alert, activity, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-send: release the claim so the redelivered message is not blocked for a lease.
            await log.MarkFailedAsync(claim, "Interrupted by shutdown", CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Sends a claimed alert: recipients, render, record, SES, and the fallback when email cannot be sent. Shared by
    /// job events and the digests of folded repeats (<see cref="DigestSender"/>).
    /// </summary>
    public async Task<DispatchResult> DeliverAsync(PendingAlert alert, Activity? activity, CancellationToken cancellationToken)
    {
        var (claim, eventId, messageType) = (alert.Claim, alert.EventId, alert.MessageType);
        var resolution = await recipients.ResolveAsync(cancellationToken);
        var notes = alert.Notes.ToList();
        if (resolution.FallbackNote is not null)
        {
            notes.Add(resolution.FallbackNote);
        }

        // The trace id at handling time: the consumer span continues the publisher's trace.
        var traceId = Activity.Current?.TraceId.ToHexString();
        var content = alert.Describe(new RenderContext(traceId, options.Value.OperationsPageUrl, notes));
        if (alert.Acknowledgeable)
        {
            content = content with { AcknowledgeUrl = acknowledgeLinks.For(claim.Id) };
        }

        var rendered = EmailRenderer.Render(content);
        var note = notes.Count == 0 ? null : string.Join(" ", notes);
        if (!await log.RecordRenderedAsync(claim, rendered.Subject, resolution.Addresses, note, rendered.Html, rendered.Text, cancellationToken))
        {
            return ClaimLost(eventId, claim);
        }

        activity?.SetTag("surgicase.recipients.count", resolution.Addresses.Count);
        activity?.SetTag("surgicase.recipients.origin", resolution.Origin.ToString());

        string emailError;
        if (resolution.Addresses.Count == 0)
        {
            emailError = resolution.FallbackNote ?? "No recipients.";
        }
        else
        {
            // From here a takeover cannot know whether SES took the email: it resends with the possible-repeat note.
            if (!await log.MarkInFlightAsync(claim, cancellationToken))
            {
                return ClaimLost(eventId, claim);
            }

            try
            {
                var message = new EmailMessage(options.Value.Sender, resolution.Addresses, rendered.Subject, rendered.Html, rendered.Text);
                var sesMessageId = await email.SendAsync(message, cancellationToken);
                // CancellationToken.None: the email is out; a cancelled record would get it sent again after a restart.
                if (!await log.MarkDeliveredAsync(claim, DeliveryStatus.Sent, DeliveryChannel.Email, sesMessageId, null, CancellationToken.None))
                {
                    // Sent, but the claim had run out and another consumer owns the row: it sends again, noting the possible repeat.
                    LogSentAfterClaimLost(logger, eventId, claim.Attempts);
                }

                if (alert.Remind)
                {
                    await acknowledgements.StartRemindersAsync(claim.Id, time.GetUtcNow() + acknowledgementOptions.Value.ReminderInterval, CancellationToken.None);
                }

                telemetry.Sent(messageType, DeliveryChannel.Email);
                health.Delivered();
                LogSent(logger, eventId, resolution.Addresses.Count, sesMessageId);
                if (messageType != MessageTypes.JobRecovered)
                {
                    LogSeedFailureNotificationSent(logger, alert.JobName);
                }

                return new DispatchResult(DispatchOutcome.Sent, claim.Id);
            }
            catch (AwsServiceException e)
            {
                emailError = $"SES {e.ErrorCode} ({(int)e.StatusCode})";
                LogEmailFailed(logger, eventId, e.ErrorCode, (int)e.StatusCode, e.IsTransient);
            }
        }

        activity?.SetStatus(ActivityStatusCode.Error, emailError);
        return await FallBackAsync(alert, content, emailError, cancellationToken);
    }

    /// <summary>The claim's lease ran out and another consumer took the row over: leave the event to it.</summary>
    private DispatchResult ClaimLost(string eventId, ClaimResult claim)
    {
        LogClaimLost(logger, eventId, claim.Attempts);
        return new DispatchResult(DispatchOutcome.InProgress, claim.Id);
    }

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

    private async Task<DispatchResult> FallBackAsync(PendingAlert alert, AlertContent content, string emailError, CancellationToken cancellationToken)
    {
        var (claim, eventId, messageType) = (alert.Claim, alert.EventId, alert.MessageType);
        string error;
        if (fallback.IsConfigured)
        {
            try
            {
                await fallback.SendAsync(content, emailError, cancellationToken);
                if (!await log.MarkDeliveredAsync(claim, DeliveryStatus.FallbackSent, DeliveryChannel.Webhook, null, emailError, CancellationToken.None))
                {
                    LogSentAfterClaimLost(logger, eventId, claim.Attempts);
                }

                telemetry.Sent(messageType, DeliveryChannel.Webhook);
                health.Delivered();
                LogFallbackSent(logger, eventId, emailError);
                return new DispatchResult(DispatchOutcome.FallbackSent, claim.Id, emailError);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                error = $"{emailError}; webhook failed: {e.GetType().Name}";
            }
        }
        else
        {
            error = $"{emailError}; no fallback channel is configured";
        }

        await log.MarkFailedAsync(claim, error, cancellationToken);
        telemetry.Failed(messageType);
        health.AllChannelsFailed(eventId, error);
        LogAllChannelsFailed(logger, eventId, alert.JobName, error);
        return new DispatchResult(DispatchOutcome.Failed, claim.Id, error);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claim on event {EventId} (attempt {Attempt}) ran out and was taken over; leaving it to the new owner")]
    private static partial void LogClaimLost(ILogger logger, string eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert for event {EventId} (attempt {Attempt}) was sent after its claim ran out; the new owner resends it marked as a possible repeat")]
    private static partial void LogSentAfterClaimLost(ILogger logger, string eventId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} was already delivered ({Status}); not sending again")]
    private static partial void LogDuplicate(ILogger logger, string eventId, string status);

    [LoggerMessage(Level = LogLevel.Critical, Message = "REUSED EVENT ID {EventId} (job {JobId}): the delivery log's row {NotificationId} ({Status}) holds different content for it. Not emailed; the message goes to the DLQ as poison")]
    private static partial void LogReusedEventId(ILogger logger, string eventId, string jobId, long notificationId, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} of job {JobId} repeats an alert sent within the storm window; recorded, not sent")]
    private static partial void LogSuppressed(ILogger logger, string eventId, string jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Alert for event {EventId} sent to {RecipientCount} recipients, SES message {SesMessageId}")]
    private static partial void LogSent(ILogger logger, string eventId, int recipientCount, string sesMessageId);

    /// <summary>The seed runbook's line ("Step 3: Verify in Production"); operators search for this exact text.</summary>
    [LoggerMessage(Level = LogLevel.Information, Message = "✅ Job failure notification sent successfully for {JobName}")]
    private static partial void LogSeedFailureNotificationSent(ILogger logger, string jobName);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email for event {EventId} failed: SES {ErrorCode} ({Status}), transient {Transient}")]
    private static partial void LogEmailFailed(ILogger logger, string eventId, string errorCode, int status, bool transient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alert for event {EventId} went to the fallback webhook because email failed: {Reason}")]
    private static partial void LogFallbackSent(ILogger logger, string eventId, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "ALERT NOT DELIVERED for event {EventId} (job {JobName}): {Error}. The message stays in the queue and then the DLQ")]
    private static partial void LogAllChannelsFailed(ILogger logger, string eventId, string jobName, string error);
}

/// <summary>A claimed alert about to be sent: which log row, for which event, and how to describe it once the notes are known.</summary>
internal sealed record PendingAlert(
    ClaimResult Claim, string EventId, string MessageType, string JobName, IReadOnlyList<string> Notes, Func<RenderContext, AlertContent> Describe)
{
    /// <summary>The email carries an acknowledge link.</summary>
    public bool Acknowledgeable { get; init; }

    /// <summary>Once emailed, the alert is re-sent until acknowledged (a critical alert that is not a test).</summary>
    public bool Remind { get; init; }
}
