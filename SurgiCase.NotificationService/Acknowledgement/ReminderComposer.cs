using System.Diagnostics;
using Microsoft.Extensions.Options;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>The reminder's rendered email: <see cref="ReminderRenderer"/>'s content with a fresh acknowledge link, through <see cref="EmailRenderer"/>.</summary>
internal sealed class ReminderComposer(AcknowledgeLinks links, IOptions<NotificationOptions> options, TimeProvider time)
{
    public RenderedAlert Compose(DueReminder alert, ReminderTurn turn, string? recipientsNote)
    {
        var context = new RenderContext(Activity.Current?.TraceId.ToHexString(), options.Value.OperationsPageUrl, recipientsNote is null ? [] : [recipientsNote]);
        var content = ReminderRenderer.Describe(alert, turn, links.For(alert.Id), context, time.GetUtcNow());
        return new RenderedAlert(content, EmailRenderer.Render(content));
    }
}
