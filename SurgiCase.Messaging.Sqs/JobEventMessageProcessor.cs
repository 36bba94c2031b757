using System.Diagnostics;
using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.Messaging.Sqs;

/// <summary>
/// One received message: trace it, parse it, hand it to the handler in its own DI scope, then delete it
/// on success, delay its retry on failure, or move it to the DLQ when it is poison.
/// </summary>
internal sealed class JobEventMessageProcessor(
    IAmazonSQS sqs,
    QueueUrlCache queueUrls,
    IServiceScopeFactory scopeFactory,
    MessagingMetrics metrics,
    TimeProvider timeProvider,
    IOptions<MessagingOptions> options,
    ILogger<JobEventMessageProcessor> logger)
{
    public const string PoisonReasonAttribute = "poison-reason";

    /// <summary>Set on every message the consumer itself moves to the DLQ (poison or handler request).</summary>
    public const string DeadLetterReasonAttribute = "dead-letter-reason";

    private const int MaxMessageAttributes = 10;

    public async Task ProcessAsync(Message message, string queueUrl, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var receiveCount = ReadInt(message.Attributes, MessageSystemAttributeName.ApproximateReceiveCount) ?? 1;
        var sentAt = ReadEpochMilliseconds(message.Attributes, MessageSystemAttributeName.SentTimestamp);
        if (sentAt is not null)
        {
            metrics.QueueAge(timeProvider.GetUtcNow() - sentAt.Value);
        }

        string? messageType = null;
        if (message.MessageAttributes?.TryGetValue(MessageTypes.AttributeName, out var typeAttribute) == true)
        {
            messageType = typeAttribute.StringValue;
        }

        // Only for log lines and metrics: a type with control characters is unknown (poison) anyway.
        var loggedType = messageType is null ? null : ControlCharacters.Strip(messageType);

        var parent = TraceContextPropagation.Extract(message.MessageAttributes);
        using var activity = SqsDiagnostics.StartActivity(settings.QueueName, "process", ActivityKind.Consumer, parent);
        activity?.SetTag(SqsDiagnostics.Tags.MessageId, message.MessageId);
        activity?.SetTag(SqsDiagnostics.Tags.DeliveryCount, receiveCount);

        IJobEvent jobEvent;
        try
        {
            jobEvent = JobEventSerializer.Deserialize(messageType, message.Body, settings.MaxMessageBytes);
        }
        catch (PoisonMessageException poison)
        {
            await MovePoisonAsync(activity, message, queueUrl, loggedType, poison, stoppingToken);
            return;
        }

        activity?.SetTag(SqsDiagnostics.Tags.EventId, jobEvent.EventId);
        activity?.SetTag(SqsDiagnostics.Tags.MessageType, loggedType);
        var delivery = new DeliveryContext(message.MessageId, receiveCount, sentAt);

        try
        {
            await using var renewal = VisibilityRenewal.Start(
                sqs, queueUrl, message, settings.VisibilityTimeoutSeconds, timeProvider, logger, stoppingToken);
            await using var scope = scopeFactory.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<IJobEventHandler>();
            await handler.HandleAsync(jobEvent, delivery, stoppingToken);
        }
        catch (PoisonMessageException poison)
        {
            // The handler found what parsing cannot see (an event id reused with different content).
            await MovePoisonAsync(activity, message, queueUrl, loggedType, poison, stoppingToken);
            return;
        }
        catch (DeadLetterException deadLetter)
        {
            activity?.SetTag(SqsDiagnostics.Tags.DeadLetterReason, deadLetter.Reason);
            activity?.SetStatus(ActivityStatusCode.Error, "dead-lettered by handler");
            await MoveToDeadLetterQueueAsync(message, queueUrl, loggedType, deadLetter.Reason, isPoison: false, stoppingToken);
            return;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down mid-handler: not a failure. The message becomes visible again after its timeout.
            activity?.SetStatus(ActivityStatusCode.Error, "cancelled");
            return;
        }
        catch (Exception e)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            activity?.AddException(e);
            metrics.Consumed(loggedType, ConsumeOutcomes.Failed);
            var retryDelay = RetryDelay(receiveCount, settings.MaxRetryBackoffSeconds, Random.Shared.NextDouble());
            MessagingLog.HandlerFailed(logger, e, loggedType!, jobEvent.EventId, message.MessageId, receiveCount, settings.MaxReceiveCount, retryDelay);
            await ChangeVisibilityAsync(message, queueUrl, (int)retryDelay.TotalSeconds);
            return;
        }

        // CancellationToken.None: the work is done, a cancelled delete would only cause a duplicate.
        try
        {
            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = message.ReceiptHandle }, CancellationToken.None);
        }
        catch (Exception e)
        {
            MessagingLog.DeleteFailed(logger, e, message.MessageId);
        }

        metrics.Consumed(loggedType, ConsumeOutcomes.Succeeded);
        MessagingLog.Handled(logger, loggedType!, jobEvent.EventId, message.MessageId, receiveCount);
    }

    /// <summary>min(2^receiveCount s, cap), jittered: a failing dependency gets time to recover before the next try.</summary>
    internal static TimeSpan RetryDelay(int receiveCount, int maxBackoffSeconds, double random)
    {
        var exponential = Math.Pow(2, Math.Clamp(receiveCount, 0, 20));
        return Jitter.Apply(TimeSpan.FromSeconds(Math.Min(exponential, maxBackoffSeconds)), random);
    }

    private Task MovePoisonAsync(
        Activity? activity, Message message, string queueUrl, string? messageType, PoisonMessageException poison, CancellationToken cancellationToken)
    {
        activity?.SetTag(SqsDiagnostics.Tags.PoisonReason, poison.Reason);
        activity?.SetStatus(ActivityStatusCode.Error, "poison message");
        return MoveToDeadLetterQueueAsync(message, queueUrl, messageType, poison.Reason, isPoison: true, cancellationToken);
    }

    private async Task MoveToDeadLetterQueueAsync(
        Message message, string queueUrl, string? messageType, string reason, bool isPoison, CancellationToken cancellationToken)
    {
        var deadLetterQueueName = options.Value.DeadLetterQueueName;
        // A handler's reason may quote a job's error text: it goes into an attribute and log lines.
        reason = ControlCharacters.Strip(reason);
        try
        {
            var deadLetterUrl = await queueUrls.GetAsync(deadLetterQueueName, cancellationToken);
            await sqs.SendMessageAsync(
                new SendMessageRequest
                {
                    QueueUrl = deadLetterUrl,
                    MessageBody = message.Body,
                    MessageAttributes = DeadLetterAttributes(message, reason, isPoison),
                },
                cancellationToken);
            await sqs.DeleteMessageAsync(new DeleteMessageRequest { QueueUrl = queueUrl, ReceiptHandle = message.ReceiptHandle }, CancellationToken.None);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Left in the queue: it comes back, and SQS's redrive moves it after MaxReceiveCount anyway.
            MessagingLog.PoisonMoveFailed(logger, e, message.MessageId, deadLetterQueueName, reason);
            return;
        }

        if (isPoison)
        {
            metrics.Consumed(messageType, ConsumeOutcomes.Poison);
            MessagingLog.PoisonMoved(logger, message.MessageId, messageType, deadLetterQueueName, reason);
        }
        else
        {
            metrics.Consumed(messageType, ConsumeOutcomes.DeadLettered);
            MessagingLog.DeadLettered(logger, message.MessageId, messageType, deadLetterQueueName, reason);
        }
    }

    /// <summary>
    /// The original attributes (message-type first, trace context) plus the reason, within SQS's 10.
    /// <c>dead-letter-reason</c> is on every moved message so an operator reads one attribute; poison keeps
    /// <c>poison-reason</c> as well, to tell "never handleable" from "parked by the handler".
    /// </summary>
    private static Dictionary<string, MessageAttributeValue> DeadLetterAttributes(Message message, string reason, bool isPoison)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            [DeadLetterReasonAttribute] = new() { DataType = "String", StringValue = reason },
        };
        if (isPoison)
        {
            attributes[PoisonReasonAttribute] = new() { DataType = "String", StringValue = reason };
        }

        var originals = (message.MessageAttributes ?? [])
            .Where(a => a.Key is not PoisonReasonAttribute and not DeadLetterReasonAttribute)
            .OrderBy(a => a.Key == MessageTypes.AttributeName ? 0 : 1)
            .Take(MaxMessageAttributes - attributes.Count);
        foreach (var (name, value) in originals)
        {
            attributes[name] = value;
        }

        return attributes;
    }

    private async Task ChangeVisibilityAsync(Message message, string queueUrl, int visibilityTimeoutSeconds)
    {
        try
        {
            await sqs.ChangeMessageVisibilityAsync(
                new ChangeMessageVisibilityRequest
                {
                    QueueUrl = queueUrl,
                    ReceiptHandle = message.ReceiptHandle,
                    VisibilityTimeout = visibilityTimeoutSeconds,
                },
                CancellationToken.None);
        }
        catch (Exception e)
        {
            // The message then comes back after its receive visibility timeout instead: still retried.
            MessagingLog.VisibilityChangeFailed(logger, e, message.MessageId);
        }
    }

    private static int? ReadInt(Dictionary<string, string>? attributes, string name) =>
        attributes?.TryGetValue(name, out var text) == true
        && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static DateTimeOffset? ReadEpochMilliseconds(Dictionary<string, string>? attributes, string name) =>
        attributes?.TryGetValue(name, out var text) == true
        && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds)
            : null;
}
