using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Acknowledgement;
using SurgiCase.NotificationService.Rendering;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// One event to at most one alert, as a pipeline of small steps: claim (<see cref="ClaimStep"/>), fold or suppress
/// (<see cref="FoldStep"/>), then <see cref="AlertDelivery"/>: resolve recipients (looked up while claiming), render
/// (<see cref="RenderStep"/>), send per channel (<see cref="ChannelSendStep"/>); every step records its outcome through
/// <see cref="DeliveryRecorder"/>. Runs inside the consumer's span so the channel calls join the job's trace. A
/// recovery ends the job's reminders first. Posts beside the email follow in <see cref="ParallelChannelDispatcher"/>.
/// </summary>
internal sealed class NotificationDispatcher(ReminderSchedule reminders, ClaimStep claims, FoldStep folds, AlertDelivery delivery)
{
    public async Task<DispatchResult> DispatchAsync(IJobEvent jobEvent, CancellationToken cancellationToken)
    {
        var messageType = MessageTypes.For(jobEvent);
        using var activity = NotificationTelemetry.ActivitySource.StartActivity("notification deliver");
        activity?.SetTag("messaging.message.type", messageType);
        activity?.SetTag("surgicase.event_id", jobEvent.EventId);
        activity?.SetTag("surgicase.job_id", jobEvent.JobId);
        var severity = AlertSeverities.Name(AlertSeverities.Of(jobEvent));
        activity?.SetTag("surgicase.severity", severity);

        // The recipients lookup (a call to SecretsService) runs while the event is claimed, off the email's critical path.
        var resolving = delivery.StartResolving(cancellationToken);

        // Before the claim, and again on a redelivery: ending reminders twice changes nothing.
        await reminders.EndOnRecoveryAsync(jobEvent, cancellationToken);

        // What the delivery log records from here on: the early warning of a timed-out attempt has a kind of its own.
        messageType = DeliveryLogTypes.Of(jobEvent);
        var (claim, done) = await claims.ClaimAsync(jobEvent, messageType, severity, activity, cancellationToken);
        if (done is not null)
        {
            return done;
        }

        try
        {
            var (suppressed, notes) = await folds.FoldAsync(jobEvent, messageType, claim, cancellationToken);
            return suppressed ?? await delivery.DeliverAsync(PendingAlert.For(jobEvent, claim, messageType, severity, notes), resolving, activity, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await claims.ReleaseAsync(claim);
            throw;
        }
    }
}
