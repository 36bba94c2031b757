using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The pipeline's "render" step: the alert's content with its notes, trace id and acknowledge link, rendered by
/// <see cref="EmailRenderer"/> and kept in the delivery log with its recipients, so the preview works even when
/// every channel fails.
/// </summary>
internal sealed class RenderStep(AcknowledgeLinks links, IDeliveryLog log, IOptions<NotificationOptions> options, DeliveryRecorder recorder)
{
    /// <param name="acknowledgeId">The delivery-log row a person acknowledges: the alert's own, also for a post beside it.</param>
    public AlertContent Describe(PendingAlert alert, IReadOnlyList<string> notes, long acknowledgeId)
    {
        // The trace id at handling time: the consumer span continues the publisher's trace.
        var content = alert.Describe(new RenderContext(Activity.Current?.TraceId.ToHexString(), options.Value.OperationsPageUrl, notes, options.Value.RunbookUrl));
        return alert.Acknowledgeable ? content with { AcknowledgeUrl = links.For(acknowledgeId) } : content;
    }

    /// <returns>The rendered alert, or null when the claim was lost (another consumer took the row over).</returns>
    public async Task<RenderedAlert?> RenderAsync(PendingAlert alert, RecipientResolution recipients, CancellationToken cancellationToken)
    {
        var notes = alert.Notes.ToList();
        if (recipients.FallbackNote is not null)
        {
            notes.Add(recipients.FallbackNote);
        }

        var content = Describe(alert, notes, alert.Claim.Id);
        var rendered = EmailRenderer.Render(content);
        var note = notes.Count == 0 ? null : string.Join(" ", notes);
        if (!await log.RecordRenderedAsync(alert.Claim, rendered.Subject, recipients.Addresses, note, rendered.Html, rendered.Text, cancellationToken))
        {
            recorder.ClaimLost(alert.EventId, alert.Claim);
            return null;
        }

        return new RenderedAlert(content, rendered);
    }
}
