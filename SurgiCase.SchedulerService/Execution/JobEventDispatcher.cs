using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Hands a run's events to SQS, inside the run's span so the consumer continues its trace. This is the seam
/// for the outbox: the event will be stored with the run's result first and this call becomes its first try.
/// </summary>
internal sealed class JobEventDispatcher(IJobEventPublisher publisher, ILogger<JobEventDispatcher> logger)
{
    public async Task<bool> DispatchAsync(IJobEvent jobEvent, CancellationToken cancellationToken)
    {
        try
        {
            var messageId = await publisher.PublishAsync(jobEvent, cancellationToken);
            Log.EventPublished(logger, MessageTypes.For(jobEvent), jobEvent.JobId, jobEvent.RunId, jobEvent.EventId, messageId);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.EventPublishFailed(logger, e, MessageTypes.For(jobEvent), jobEvent.JobId, jobEvent.RunId, jobEvent.EventId);
            return false;
        }
    }
}
