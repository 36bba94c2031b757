using System.Data.Common;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The queue's view of a delivery. Returning deletes the message; throwing keeps it for a retry and,
/// after the configured receives, the DLQ. So the message is kept whenever no email was sent: when every
/// channel failed, and while another replica holds the claim. When only the fallback webhook got the alert,
/// the message goes to the DLQ at once with the reason (<see cref="DeadLetterException"/>): a person has
/// been told, retrying would not change that, and the DLQ copy lets the email be replayed once SES is back.
/// A delivery log that cannot be written fails the message the same way, and its health check says so. An event id
/// reused with different content is poison (<see cref="PoisonMessageException"/>): to the DLQ at once, not sent.
/// </summary>
internal sealed class JobEventNotificationHandler(NotificationDispatcher dispatcher, ParallelChannelDispatcher webhook, DeliveryLogHealth logHealth) : IJobEventHandler
{
    public async Task HandleAsync(IJobEvent jobEvent, DeliveryContext delivery, CancellationToken cancellationToken)
    {
        DispatchResult result;
        try
        {
            result = await dispatcher.DispatchAsync(jobEvent, cancellationToken);
        }
        catch (DbException e)
        {
            logHealth.Failed(jobEvent.EventId, e);
            throw;
        }

        logHealth.Written();

        // The webhook beside the email, after it, so its failure cannot hold the email up.
        var posted = await webhook.DispatchAsync(jobEvent, result, cancellationToken);
        switch (result.Outcome)
        {
            case DispatchOutcome.Sent:
            case DispatchOutcome.Suppressed:
            case DispatchOutcome.Duplicate when result.PreviousStatus != DeliveryStatus.FallbackSent:
                // Email done; a failed post keeps the message so the post is retried (the email is not sent again).
                if (posted?.Outcome == DispatchOutcome.Failed)
                {
                    throw new WebhookPostFailedException(jobEvent.EventId, posted.Error ?? "webhook failed");
                }

                return;
            case DispatchOutcome.FallbackSent:
                throw new DeadLetterException($"email failed ({result.Error}); alert sent to the fallback webhook");
            case DispatchOutcome.Duplicate:
                throw new DeadLetterException("email failed earlier; alert was sent to the fallback webhook");
            case DispatchOutcome.ReusedEventId:
                throw new PoisonMessageException(result.Error ?? "event id reused with different content");
            case DispatchOutcome.InProgress:
                throw new AlertNotEmailedException(jobEvent.EventId, "another consumer is delivering it");
            default:
                throw new AlertNotEmailedException(jobEvent.EventId, result.Error ?? "delivery failed");
        }
    }
}
