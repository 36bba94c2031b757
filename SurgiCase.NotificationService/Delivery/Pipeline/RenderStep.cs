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

    /// <summary>The alert's content and email, with the recipients' fallback note among its notes; not yet recorded.</summary>
    public RenderedAlert Render(PendingAlert alert, RecipientResolution recipients)
    {
        var content = Describe(alert, NotesOf(alert, recipients), alert.Claim.Id);
        return new RenderedAlert(content, EmailRenderer.Render(content));
    }

    /// <summary>What the delivery log keeps of the rendered alert.</summary>
    public static RenderedRecord RecordOf(PendingAlert alert, RenderedAlert rendered, RecipientResolution recipients)
    {
        var notes = NotesOf(alert, recipients);
        return new RenderedRecord(rendered.Email.Subject, recipients.Addresses, notes.Count == 0 ? null : string.Join(" ", notes), rendered.Email.Html, rendered.Email.Text);
    }

    /// <param name="inFlight">A channel is called right after: the same write marks the claim in flight.</param>
    /// <returns>False when the claim was lost (another consumer took the row over).</returns>
    public async Task<bool> RecordAsync(PendingAlert alert, RenderedAlert rendered, RecipientResolution recipients, bool inFlight, CancellationToken cancellationToken)
    {
        var (subject, addresses, note, html, text) = RecordOf(alert, rendered, recipients);
        var recorded = inFlight
            ? await log.RecordRenderedInFlightAsync(alert.Claim, subject, addresses, note, html, text, cancellationToken)
            : await log.RecordRenderedAsync(alert.Claim, subject, addresses, note, html, text, cancellationToken);
        if (!recorded)
        {
            recorder.ClaimLost(alert.EventId, alert.Claim);
        }

        return recorded;
    }

    private static List<string> NotesOf(PendingAlert alert, RecipientResolution recipients)
    {
        var notes = alert.Notes.ToList();
        if (recipients.FallbackNote is not null)
        {
            notes.Add(recipients.FallbackNote);
        }

        return notes;
    }
}
