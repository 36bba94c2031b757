using System.Globalization;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Keeps a job failing every few minutes from burying its own alert. A scheduled failure with the same error kind
/// as the job's last emailed failure, inside the storm window, is recorded as suppressed instead of sent. What a
/// person asked for (a manual run, a test notification) and what the system did on its own to recover (a recovery
/// run, a recovery) is never suppressed. The next alert that does go out (after the window, a different error, the
/// recovery, or the digest at the end of the window) says how many repeats there were and the last error. The early
/// warning of a timed-out attempt (<see cref="DeliveryLogTypes.AttemptTimedOut"/>) is outside all this: never folded,
/// and never the prior alert (the log skips it), so the run's own outcome is judged against the job's last real alert.
/// </summary>
internal sealed class AlertStormGuard(IDeliveryLog log, IOptions<NotificationOptions> options)
{
    /// <returns>The note to mark the event suppressed with, or null to send it.</returns>
    public async Task<string?> SuppressionNoteAsync(IJobEvent jobEvent, long id, CancellationToken cancellationToken)
    {
        var window = options.Value.StormWindow;
        if (window <= TimeSpan.Zero || jobEvent is not JobFailed failed || !MayFold(failed.Trigger) || failed.RetryAt is not null)
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

    /// <summary>Only runs nobody started by hand fold: the schedule's own fires and their catch-ups.</summary>
    public static bool MayFold(string? trigger) => trigger is Triggers.Schedule or Triggers.CatchUp;

    /// <returns>"Failed N more times since …, last error …" for the email about to be sent, or null when there were no repeats.</returns>
    public async Task<string?> RepeatSummaryAsync(IJobEvent jobEvent, long id, CancellationToken cancellationToken)
    {
        var prior = await log.FindLastDeliveredAsync(jobEvent.JobId, id, cancellationToken);
        var repeats = await log.CountSuppressedAsync(jobEvent.JobId, prior?.Id ?? 0, id, cancellationToken);
        return repeats.Count == 0 ? null : $"{Summary(repeats, prior)} (alert-storm suppression).";
    }

    /// <summary>"This job failed 7 more times since 2025-10-20 09:00:05 UTC without a separate email, last error: …".</summary>
    public static string Summary(SuppressedRepeats repeats, PriorAlert? prior)
    {
        var since = (prior?.OccurredAt ?? repeats.FirstAt)?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        var times = repeats.Count == 1 ? "1 more time" : $"{repeats.Count.ToString(CultureInfo.InvariantCulture)} more times";
        var last = repeats.Last?.ErrorMessage is { Length: > 0 } error ? $", last error: {error}" : "";
        return $"This job failed {times} since {since} without a separate email{last}";
    }
}
