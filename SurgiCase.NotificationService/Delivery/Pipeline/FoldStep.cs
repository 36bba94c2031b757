using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The pipeline's "fold or suppress" step: a repeat inside the storm window is recorded as suppressed and not sent
/// (<see cref="AlertStormGuard"/>); an alert that does go out carries the notes it needs: the possible repeat of a
/// claim taken over mid-send, and the count of repeats folded into it since the last alert.
/// </summary>
internal sealed class FoldStep(AlertStormGuard storms, DeliveryRecorder recorder)
{
    /// <summary>Shown on a resend whose earlier attempt may have got through (issue 12.3): a duplicate is never unexplained.</summary>
    public const string PossibleRepeatNote = "Possible repeat: an earlier attempt may have been delivered (its sender stopped before recording the outcome).";

    /// <returns>The suppressed result, or the notes to send the alert with.</returns>
    public async Task<(DispatchResult? Suppressed, List<string> Notes)> FoldAsync(
        IJobEvent jobEvent, string messageType, ClaimResult claim, CancellationToken cancellationToken)
    {
        if (await storms.SuppressionNoteAsync(jobEvent, claim.Id, cancellationToken) is { } suppressed)
        {
            return (await recorder.SuppressedAsync(jobEvent, messageType, claim, suppressed, cancellationToken), []);
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

        return (null, notes);
    }
}
