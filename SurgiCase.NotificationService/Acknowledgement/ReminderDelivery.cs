using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Sends one claimed reminder through the primary channels (<see cref="ChannelRoles.Primary"/>; by default email
/// only: the webhook already has the acknowledge link), to the alert's own recipients, or for the escalation to
/// <c>job_failure_escalation</c> (else <c>admin_email</c>).
/// </summary>
internal sealed class ReminderDelivery(RecipientResolver recipients, IEnumerable<IAlertChannel> channels, ReminderComposer composer, ReminderRecorder recorder)
{
    /// <returns>False when no channel delivered it: the caller gives the reminder back for a later check.</returns>
    public async Task<bool> SendAsync(DueReminder due, ReminderTurn turn, CancellationToken cancellationToken)
    {
        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification reminder");
        activity?.SetTag("surgicase.job_id", due.JobId);
        activity?.SetTag("surgicase.reminder.number", turn.Number);
        activity?.SetTag("surgicase.reminder.escalation", turn.Escalation);

        IReadOnlyList<string> to = due.Recipients;
        string? note = null;
        if (turn.Escalation)
        {
            var resolution = await recipients.ResolveEscalationAsync(due.Recipients, cancellationToken);
            (to, note) = (resolution.Addresses, resolution.FallbackNote);
        }

        var rendered = composer.Compose(due, turn, note);
        var message = new ChannelMessage($"alert {due.Id} reminder {turn.Number}", rendered.Content, rendered.Email, to, note);
        var failure = "no primary channel is configured";
        foreach (var channel in channels.Where(c => c.RolesFor(AlertSeverities.Name(AlertSeverity.Critical)).HasFlag(ChannelRoles.Primary)))
        {
            var outcome = channel.Refusal(message) is { } refusal ? ChannelOutcome.Failed(refusal) : await channel.SendAsync(message, cancellationToken);
            if (outcome.Delivered)
            {
                await recorder.SentAsync(due, turn, to, channel, outcome);
                return true;
            }

            failure = outcome.Error!;
        }

        recorder.Failed(due, turn, failure);
        return false;
    }
}
