using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// Long-polls the job-events queue and hands each message to <see cref="JobEventMessageProcessor"/>,
/// at most <see cref="MessagingOptions.MaxConcurrency"/> at a time. It only asks SQS for as many
/// messages as it has free slots, so no received message waits (and burns visibility) in memory.
/// SQS errors never stop the loop: it logs, backs off and polls again. Before each receive it asks the
/// <see cref="IReceiveGate"/>; while that is closed it receives nothing (the messages keep their receive counts) and asks
/// again after a jittered backoff, 1 s doubling to 30 s on the injected clock.
/// </summary>
internal sealed class SqsJobEventConsumer(
    IAmazonSQS sqs,
    QueueUrlCache queueUrls,
    JobEventMessageProcessor processor,
    IReceiveGate gate,
    TimeProvider timeProvider,
    IOptions<MessagingOptions> options,
    ILogger<SqsJobEventConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan FirstErrorDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.MaxConcurrency, settings.MaxConcurrency);
        var inFlight = new List<Task>();
        var errorDelay = FirstErrorDelay;
        MessagingLog.ConsumerStarted(logger, settings.QueueName, settings.MaxMessagesPerBatch, settings.MaxConcurrency);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var taken = 1;
            while (taken < settings.MaxMessagesPerBatch && slots.Wait(0))
            {
                taken++;
            }

            if (!await WaitUntilGateOpensAsync(settings.QueueName, stoppingToken))
            {
                slots.Release(taken);
                break;
            }

            List<Message> messages;
            string queueUrl;
            try
            {
                queueUrl = await queueUrls.GetAsync(settings.QueueName, stoppingToken);
                messages = await ReceiveAsync(queueUrl, taken, settings, stoppingToken);
                errorDelay = FirstErrorDelay;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                slots.Release(taken);
                break;
            }
            catch (Exception e)
            {
                slots.Release(taken);
                if (e is QueueDoesNotExistException)
                {
                    queueUrls.Invalidate(settings.QueueName);
                }

                MessagingLog.ReceiveFailed(logger, e, settings.QueueName, errorDelay);
                if (!await DelayAsync(errorDelay, stoppingToken))
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
                continue;
            }

            if (taken > messages.Count)
            {
                slots.Release(taken - messages.Count);
            }

            inFlight.RemoveAll(task => task.IsCompleted);
            foreach (var message in messages)
            {
                // Task.Run: a handler that blocks before its first await must not stall the receive loop.
                inFlight.Add(Task.Run(() => ProcessAndReleaseAsync(message, queueUrl, slots, stoppingToken), CancellationToken.None));
            }
        }

        // Handlers see the stopping token; wait for them so none outlives the host.
        await Task.WhenAll(inFlight);
        MessagingLog.ConsumerStopped(logger, settings.QueueName);
    }

    /// <summary>Returns at once while the gate is open; else waits, logging the closing and the re-opening once each. False when stopping.</summary>
    private async Task<bool> WaitUntilGateOpensAsync(string queueName, CancellationToken stoppingToken)
    {
        var delay = FirstErrorDelay;
        DateTimeOffset? closedAt = null;
        while (true)
        {
            ReceiveGateState state;
            try
            {
                state = await gate.CheckAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return false;
            }

            if (state.IsOpen)
            {
                if (closedAt is { } since)
                {
                    MessagingLog.ReceivingAgain(logger, queueName, timeProvider.GetUtcNow() - since);
                }

                return true;
            }

            if (closedAt is null)
            {
                closedAt = timeProvider.GetUtcNow();
                MessagingLog.NotReceiving(logger, queueName, state.Reason ?? "the receive gate is closed");
            }

            if (!await DelayAsync(Jitter.Apply(delay, Random.Shared.NextDouble()), stoppingToken))
            {
                return false;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxErrorDelay.Ticks));
        }
    }

    private async Task<List<Message>> ReceiveAsync(string queueUrl, int count, MessagingOptions settings, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(
            new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = count,
                WaitTimeSeconds = settings.WaitTimeSeconds,
                VisibilityTimeout = settings.VisibilityTimeoutSeconds,
                MessageSystemAttributeNames =
                [
                    MessageSystemAttributeName.ApproximateReceiveCount,
                    MessageSystemAttributeName.SentTimestamp,
                ],
                MessageAttributeNames = ["All"],
            },
            cancellationToken);
        return response.Messages ?? [];
    }

    private async Task ProcessAndReleaseAsync(Message message, string queueUrl, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await processor.ProcessAsync(message, queueUrl, stoppingToken);
        }
        catch (Exception e)
        {
            // ProcessAsync handles its own failures; this only guards the loop against a bug.
            MessagingLog.ProcessingCrashed(logger, e, message.MessageId);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
