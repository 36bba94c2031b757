using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// The delivery pipeline's part in reminders: a critical alert, once emailed, gets its first reminder after
/// <c>Notifications:Acknowledgement:ReminderInterval</c>; a recovery ends the job's open reminders.
/// </summary>
internal sealed class ReminderSchedule(IAcknowledgementLog log, IOptions<AcknowledgementOptions> options, TimeProvider time)
{
    public Task EndOnRecoveryAsync(IJobEvent jobEvent, CancellationToken cancellationToken) => jobEvent is JobRecovered
        ? log.EndRemindersAsync(jobEvent.JobId, jobEvent.OccurredAt, $"job recovered at {EmailRenderer.Utc(jobEvent.OccurredAt)}", cancellationToken)
        : Task.CompletedTask;

    /// <summary>CancellationToken.None: the alert is out; its reminders must not be lost to a shutdown.</summary>
    public Task StartAsync(long alertId) =>
        log.StartRemindersAsync(alertId, time.GetUtcNow() + options.Value.ReminderInterval, CancellationToken.None);
}
