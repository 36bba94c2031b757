using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Re-sends unacknowledged critical alerts whose reminder is due: reminders 1 to
/// <see cref="AcknowledgementOptions.MaxRemindersBeforeEscalation"/> to the alert's own recipients, then one escalation
/// to <c>job_failure_escalation</c> (else <c>admin_email</c>), after which the reminders end. Each reminder is claimed
/// first (a conditional UPDATE on the alert's reminder count), so with several replicas one sends it
/// (<see cref="ReminderDelivery"/>); one that cannot be sent is given back and tried again on a later check.
/// </summary>
internal sealed class ReminderSender(IAcknowledgementLog log, IServiceScopeFactory scopes, IOptions<AcknowledgementOptions> acknowledgement, TimeProvider time)
{
    public const string MessageType = "alert-reminder";
    private const int Batch = 50;

    /// <returns>How many reminders (and escalations) this call sent.</returns>
    public async Task<int> SendDueAsync(CancellationToken cancellationToken)
    {
        var due = await log.FindDueRemindersAsync(time.GetUtcNow(), Batch, cancellationToken);
        if (due.Count == 0)
        {
            return 0;
        }

        // A scope per check: the channels are per-delivery services (the webhook's is a typed HttpClient).
        await using var scope = scopes.CreateAsyncScope();
        var delivery = scope.ServiceProvider.GetRequiredService<ReminderDelivery>();
        var sent = 0;
        foreach (var reminder in due)
        {
            if (await SendAsync(reminder, delivery, cancellationToken))
            {
                sent++;
            }
        }

        return sent;
    }

    private async Task<bool> SendAsync(DueReminder due, ReminderDelivery delivery, CancellationToken cancellationToken)
    {
        var settings = acknowledgement.Value;
        var now = time.GetUtcNow();
        var turn = new ReminderTurn(due.RemindersSent + 1, settings.MaxRemindersBeforeEscalation, due.RemindersSent + 1 > settings.MaxRemindersBeforeEscalation);
        var next = turn.Escalation ? (DateTimeOffset?)null : now + settings.ReminderInterval;
        if (!await log.ClaimReminderAsync(due, next, turn.Escalation ? $"escalated at {EmailRenderer.Utc(now)}" : null, cancellationToken))
        {
            return false; // acknowledged meanwhile, or another replica took this reminder
        }

        if (await delivery.SendAsync(due, turn, cancellationToken))
        {
            return true;
        }

        await log.ReleaseReminderAsync(due, now + settings.CheckInterval, CancellationToken.None);
        return false;
    }
}
