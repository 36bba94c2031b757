using System.Globalization;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Keeps a job failing every few minutes from burying its own alert. A failure with the same error kind
/// as the job's last emailed failure, inside the storm window, is recorded as suppressed instead of sent.
/// The next alert that does go out (after the window, a different error, or the recovery) says how many
/// repeats there were. A recovery is never suppressed, and resets the window.
/// </summary>
internal sealed class AlertStormGuard(IDeliveryLog log, IOptions<NotificationOptions> options)
{
    /// <returns>The note to mark the event suppressed with, or null to send it.</returns>
    public async Task<string?> SuppressionNoteAsync(IJobEvent jobEvent, long id, CancellationToken cancellationToken)
    {
        var window = options.Value.StormWindow;
        if (window <= TimeSpan.Zero || jobEvent is not JobFailed failed)
        {
            return null;
        }

        var prior = await log.FindLastDeliveredAsync(jobEvent.JobId, id, cancellationToken);
        if (prior is null || prior.MessageType != MessageTypes.JobFailed || prior.ErrorKind != failed.ErrorKind)
        {
            return null;
        }

        var since = failed.OccurredAt - prior.OccurredAt;
        return since >= TimeSpan.Zero && since < window
            ? $"Same job and error kind ({failed.ErrorKind}) as notification {prior.Id.ToString(CultureInfo.InvariantCulture)}, within the {window} storm window."
            : null;
    }

    /// <returns>"Failed N more times since …" for the email about to be sent, or null when there were no repeats.</returns>
    public async Task<string?> RepeatSummaryAsync(IJobEvent jobEvent, long id, CancellationToken cancellationToken)
    {
        var prior = await log.FindLastDeliveredAsync(jobEvent.JobId, id, cancellationToken);
        var (count, firstAt) = await log.CountSuppressedAsync(jobEvent.JobId, prior?.Id ?? 0, id, cancellationToken);
        if (count == 0)
        {
            return null;
        }

        var since = (prior?.OccurredAt ?? firstAt)?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var times = count == 1 ? "1 more time" : $"{count.ToString(CultureInfo.InvariantCulture)} more times";
        return $"This job failed {times} since {since} without a separate email (alert-storm suppression).";
    }
}
