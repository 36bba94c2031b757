using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>A claimed alert about to be sent: which log row, for which event, and how to describe it once the notes are known.</summary>
/// <param name="Severity">critical, warning or resolved: decides which channels take part (<see cref="IAlertChannel.RolesFor"/>).</param>
internal sealed record PendingAlert(
    ClaimResult Claim, string EventId, string MessageType, string JobName, string Severity, IReadOnlyList<string> Notes, Func<RenderContext, AlertContent> Describe)
{
    /// <summary>The email carries an acknowledge link.</summary>
    public bool Acknowledgeable { get; init; }

    /// <summary>Once emailed, the alert is re-sent until acknowledged (a critical alert that is not a test).</summary>
    public bool Remind { get; init; }

    public static PendingAlert For(IJobEvent jobEvent, ClaimResult claim, string messageType, string severity, IReadOnlyList<string> notes) =>
        new(claim, jobEvent.EventId, messageType, jobEvent.JobName, severity, notes, context => EmailRenderer.Describe(jobEvent, context))
        {
            Acknowledgeable = AcknowledgeLinks.IsAcknowledgeable(jobEvent),
            Remind = AcknowledgeLinks.GetsReminders(jobEvent),
        };
}

/// <summary>An alert's content and its rendered email, as recorded in the delivery log.</summary>
internal sealed record RenderedAlert(AlertContent Content, RenderedEmail Email);
