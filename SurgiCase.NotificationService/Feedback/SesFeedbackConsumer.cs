using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// Long-polls the SES feedback queue (<c>Notifications:Feedback:QueueName</c>) and hands each notification to
/// <see cref="SesFeedbackHandler"/>, one batch of up to 10 at a time. Not the job-event consumer: these messages are SNS
/// envelopes around SES records, with no message-type attribute, no event id and no trace context, and handling one is a
/// few statements (a re-send at most), so there is no visibility renewal either. Same rules: delete only what was
/// handled; a failure stays in the queue for the next receive after the visibility timeout (the stack's redrive policy
/// moves it to the feedback DLQ after repeated failures); SQS errors back off, 1 s doubling to 30 s, and never stop the loop.
/// </summary>
internal sealed partial class SesFeedbackConsumer(
    IAmazonSQS sqs, IServiceScopeFactory scopes, IOptions<SesFeedbackOptions> options, TimeProvider time, ILogger<SesFeedbackConsumer> logger)
    : BackgroundService
{
    private static readonly TimeSpan FirstErrorDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxErrorDelay = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        LogStarted(logger, settings.QueueName!);
        string? queueUrl = null;
        var errorDelay = FirstErrorDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                queueUrl ??= (await sqs.GetQueueUrlAsync(settings.QueueName, stoppingToken)).QueueUrl;
                var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = queueUrl,
                    MaxNumberOfMessages = 10,
                    WaitTimeSeconds = settings.WaitTimeSeconds,
                    VisibilityTimeout = settings.VisibilityTimeoutSeconds,
                    MessageSystemAttributeNames = [MessageSystemAttributeName.ApproximateReceiveCount],
                }, stoppingToken);
                errorDelay = FirstErrorDelay;
                foreach (var message in received.Messages ?? [])
                {
                    await HandleAsync(queueUrl, message, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                if (e is QueueDoesNotExistException)
                {
                    queueUrl = null;
                }

                LogReceiveFailed(logger, e, settings.QueueName!, errorDelay);
                try
                {
                    await Task.Delay(errorDelay, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                errorDelay = TimeSpan.FromTicks(Math.Min(errorDelay.Ticks * 2, MaxErrorDelay.Ticks));
            }
        }
    }

    private async Task HandleAsync(string queueUrl, Message message, CancellationToken stoppingToken)
    {
        var receiveCount = message.Attributes?.TryGetValue(MessageSystemAttributeName.ApproximateReceiveCount, out var count) == true
            && int.TryParse(count, out var parsed) ? parsed : 1;
        FeedbackDisposition disposition;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<SesFeedbackHandler>();
            disposition = await handler.HandleAsync(message.Body ?? "", receiveCount, stoppingToken);
        }
        catch (Exception e) when (!stoppingToken.IsCancellationRequested)
        {
            // Not deleted: it comes back after the visibility timeout (and goes to the DLQ after repeated failures).
            LogHandlingFailed(logger, e, message.MessageId, receiveCount);
            return;
        }

        switch (disposition)
        {
            case FeedbackDisposition.Done:
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle, CancellationToken.None);
                break;
            case FeedbackDisposition.RetrySoon:
                await sqs.ChangeMessageVisibilityAsync(queueUrl, message.ReceiptHandle, options.Value.UnmatchedRetrySeconds, CancellationToken.None);
                break;
            case FeedbackDisposition.Keep:
                // Unreadable: left to the redrive policy, which moves it to the DLQ where it can be read by a person.
                break;
        }
    }

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Reading SES feedback (bounces, complaints, deliveries) from queue {QueueName}")]
    private static partial void LogStarted(ILogger logger, string queueName);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Warning, Message = "Receiving SES feedback from queue {QueueName} failed; retrying in {Delay}")]
    private static partial void LogReceiveFailed(ILogger logger, Exception exception, string queueName, TimeSpan delay);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Error, Message = "SES feedback message {MessageId} could not be handled (receive {ReceiveCount}); it stays in the queue for a retry")]
    private static partial void LogHandlingFailed(ILogger logger, Exception exception, string messageId, int receiveCount);
}

/// <summary>What the consumer does with a feedback message once handled.</summary>
internal enum FeedbackDisposition
{
    /// <summary>Recorded (or nothing to record): delete it.</summary>
    Done,

    /// <summary>Recorded, but its alert is not in the delivery log yet: receive it again shortly.</summary>
    RetrySoon,

    /// <summary>Unreadable: leave it for the redrive policy (the DLQ).</summary>
    Keep,
}
