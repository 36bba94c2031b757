using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Delivery;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Looks for due reminders every <c>Notifications:Acknowledgement:CheckInterval</c> on the injected clock. Runs on every
/// replica; <see cref="ReminderSender"/>'s claim lets one of them send each reminder.
/// </summary>
internal sealed class ReminderService(ReminderSender sender, IOptions<AcknowledgementOptions> options, TimeProvider time, ILogger<ReminderService> logger)
    : PeriodicCheckService("Sending alert reminders", options.Value.CheckInterval, time, logger)
{
    protected override Task CheckAsync(CancellationToken cancellationToken) => sender.SendDueAsync(cancellationToken);
}
