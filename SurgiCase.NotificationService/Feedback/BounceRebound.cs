using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// A critical alert whose email bounced goes out again, naming the address that bounced: by email to the escalation
/// recipients (<c>job_failure_escalation</c>, else <c>admin_email</c>; never the address that bounced) and through every
/// other channel configured for critical alerts (the webhook), whatever its role. Once per bounce: the feedback row is
/// claimed first. A re-send that reached nobody gives the claim back and fails, so the notification is retried.
/// </summary>
internal sealed partial class BounceRebound(
    DeliveryFeedbackLog log,
    RecipientResolver recipients,
    IEnumerable<IAlertChannel> channels,
    AcknowledgeLinks links,
    IOptions<NotificationOptions> options,
    NotificationTelemetry telemetry,
    TimeProvider time,
    ILogger<BounceRebound> logger)
{
    public const string MessageType = "alert-bounced";
    public const string SubjectPrefix = "Bounced";

    public async Task SendOnceAsync(SentAlert alert, RecordedFeedback bounce, CancellationToken cancellationToken)
    {
        if (!await log.ClaimReboundAsync(bounce.Id, cancellationToken))
        {
            return;
        }

        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification bounce re-send");
        activity?.SetTag("surgicase.alert_id", alert.Id);
        var bounced = bounce.Recipient.Address;
        var escalation = await recipients.ResolveEscalationAsync(alert.Recipients, cancellationToken);
        var to = escalation.Addresses.Where(a => !string.Equals(a, bounced, StringComparison.OrdinalIgnoreCase)).ToList();
        var content = Describe(alert, bounce.Recipient, escalation.FallbackNote);
        var message = new ChannelMessage($"alert {alert.Id} bounce of {bounced}", content, EmailRenderer.Render(content), to, escalation.FallbackNote);

        var reached = new List<string>();
        var failures = new List<string>();
        foreach (var channel in channels)
        {
            var isEmail = channel.Name == DeliveryChannel.Email;
            if (isEmail ? to.Count == 0 : channel.RolesFor(AlertSeverities.Name(AlertSeverity.Critical)) == ChannelRoles.None)
            {
                continue;
            }

            var outcome = channel.Refusal(message) is { } refusal ? ChannelOutcome.Failed(refusal) : await channel.SendAsync(message, cancellationToken);
            if (outcome.Delivered)
            {
                reached.Add(isEmail ? $"email to {string.Join(", ", to)}" : channel.Name);
                telemetry.Sent(MessageType, channel.Name);
            }
            else
            {
                failures.Add($"{channel.Name}: {outcome.Error}");
            }
        }

        if (reached.Count == 0)
        {
            await log.ReleaseReboundAsync(bounce.Id, CancellationToken.None);
            var why = failures.Count == 0 ? "no other channel is configured and no escalation address differs from it" : string.Join("; ", failures);
            LogReboundFailed(logger, alert.Id, bounced, why);
            throw new InvalidOperationException($"The bounce of alert {alert.Id} could not be re-sent: {why}.");
        }

        var note = $"re-sent {EmailRenderer.Utc(time.GetUtcNow())} by {string.Join(" and ", reached)}";
        await log.RecordReboundAsync(bounce.Id, note, CancellationToken.None);
        LogRebound(logger, alert.Id, alert.JobName, bounced, note);
    }

    private AlertContent Describe(SentAlert alert, RecipientFeedback bounce, string? recipientsNote)
    {
        var line = $"The email of this critical alert to {bounce.Address} bounced"
            + (bounce.Permanent ? " permanently (the address does not take mail)" : "")
            + $": {bounce.Detail ?? "no detail"}. This copy goes to the escalation recipients and the other channels. "
            + "Fix the address in the recipients secret, then clear its flag (DELETE /notifications/bounced-recipients/{address}).";
        var sections = new List<AlertSection> { new("Bounced", Paragraph: line, Highlight: true) };
        if (alert.Text.Length > 0)
        {
            sections.Add(new AlertSection(ReminderRenderer.FirstEmailSectionTitle, Preformatted: alert.Text));
        }

        var traceId = Activity.Current?.TraceId.ToHexString();
        return new AlertContent(
            AlertSeverity.Critical,
            AlertLook.Failure,
            EmailRenderer.SingleLine($"{SubjectPrefix}: {bounce.Address} - {alert.Subject}"),
            $"A critical alert bounced at {bounce.Address}",
            alert.JobName,
            EmailRenderer.Utc(time.GetUtcNow()),
            recipientsNote is null ? [] : [recipientsNote],
            sections,
            RunId: "-",
            string.IsNullOrEmpty(traceId) ? "(none)" : traceId,
            options.Value.OperationsPageUrl,
            links.For(alert.Id));
    }

    [LoggerMessage(EventId = 1908, Level = LogLevel.Warning, Message = "Critical alert {AlertId} for {JobName} bounced at {Recipient}: {Rebound}")]
    private static partial void LogRebound(ILogger logger, long alertId, string jobName, string recipient, string rebound);

    [LoggerMessage(EventId = 1909, Level = LogLevel.Error, Message = "Critical alert {AlertId} bounced at {Recipient} and could not be re-sent: {Error}")]
    private static partial void LogReboundFailed(ILogger logger, long alertId, string recipient, string error);
}
