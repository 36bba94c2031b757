using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Re-sends unacknowledged critical alerts whose reminder is due: reminders 1 to
/// <see cref="AcknowledgementOptions.MaxRemindersBeforeEscalation"/> to the alert's own recipients, then one escalation
/// to <c>job_failure_escalation</c> (else <c>admin_email</c>), after which the reminders end. Each reminder is claimed
/// first (a conditional UPDATE on the alert's reminder count), so with several replicas one sends it; one that cannot
/// be sent is given back and tried again on a later check. Email only: the webhook has the acknowledge link already.
/// </summary>
internal sealed partial class ReminderSender(
    IAcknowledgementLog log,
    RecipientResolver recipients,
    SesEmailChannel email,
    AcknowledgeLinks links,
    NotificationTelemetry telemetry,
    IOptions<AcknowledgementOptions> acknowledgement,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<ReminderSender> logger)
{
    public const string MessageType = "alert-reminder";
    private const int Batch = 50;

    /// <returns>How many reminders (and escalations) this call sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var sent = 0;
        foreach (var due in await log.FindDueRemindersAsync(time.GetUtcNow(), Batch, cancellationToken))
        {
            if (await SendAsync(due, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendAsync(DueReminder due, CancellationToken cancellationToken)
    {
        var settings = acknowledgement.Value;
        var now = time.GetUtcNow();
        var number = due.RemindersSent + 1;
        var escalation = number > settings.MaxRemindersBeforeEscalation;
        var next = escalation ? (DateTimeOffset?)null : now + settings.ReminderInterval;
        if (!await log.ClaimReminderAsync(due, next, escalation ? $"escalated at {EmailRenderer.Utc(now)}" : null, cancellationToken))
        {
            return false; // acknowledged meanwhile, or another replica took this reminder
        }

        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification reminder");
        activity?.SetTag("surgicase.job_id", due.JobId);
        activity?.SetTag("surgicase.reminder.number", number);
        activity?.SetTag("surgicase.reminder.escalation", escalation);

        IReadOnlyList<string> to = due.Recipients;
        string? note = null;
        if (escalation)
        {
            var resolution = await recipients.ResolveEscalationAsync(due.Recipients, cancellationToken);
            (to, note) = (resolution.Addresses, resolution.FallbackNote);
        }

        var rendered = ReminderRenderer.Render(due, number, settings.MaxRemindersBeforeEscalation, escalation, links.For(due.Id), note);
        try
        {
            var sesMessageId = await email.SendAsync(new EmailMessage(options.Value.Sender, to, rendered.Subject, rendered.Html, rendered.Text), cancellationToken);
            if (escalation)
            {
                await log.RecordEscalationAsync(due.Id, to, CancellationToken.None);
                LogEscalated(logger, due.Id, due.JobName, to.Count, sesMessageId);
            }
            else
            {
                LogReminded(logger, due.Id, due.JobName, number, settings.MaxRemindersBeforeEscalation, sesMessageId);
            }

            telemetry.Sent(MessageType, DeliveryChannel.Email);
            return true;
        }
        catch (AwsServiceException e)
        {
            await log.ReleaseReminderAsync(due, now + settings.CheckInterval, CancellationToken.None);
            LogReminderFailed(logger, due.Id, number, e.ErrorCode, (int)e.StatusCode);
            return false;
        }
    }

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Critical alert {AlertId} for {JobName} is not acknowledged: reminder {Number} of {Max} sent, SES message {SesMessageId}")]
    private static partial void LogReminded(ILogger logger, long alertId, string jobName, int number, int max, string sesMessageId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Critical alert {AlertId} for {JobName} is still not acknowledged: escalated to {RecipientCount} recipients, SES message {SesMessageId}")]
    private static partial void LogEscalated(ILogger logger, long alertId, string jobName, int recipientCount, string sesMessageId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Reminder {Number} of critical alert {AlertId} could not be sent: SES {ErrorCode} ({Status}); trying again on a later check")]
    private static partial void LogReminderFailed(ILogger logger, long alertId, int number, string errorCode, int status);
}
