using System.Diagnostics;

namespace SurgiCase.Messaging.Sqs;

/// <summary>The SQS spans, under <see cref="MessagingDiagnostics.ActivitySourceName"/>, and their tag names.</summary>
internal static class SqsDiagnostics
{
    internal static readonly ActivitySource ActivitySource = new(MessagingDiagnostics.ActivitySourceName);

    /// <summary>Span tag names. Message bodies never become tags.</summary>
    internal static class Tags
    {
        public const string System = "messaging.system";
        public const string SystemValue = "aws_sqs";
        public const string DestinationName = "messaging.destination.name";
        public const string OperationType = "messaging.operation.type";
        public const string MessageId = "messaging.message.id";
        public const string DeliveryCount = "messaging.message.delivery_count";
        public const string EventId = MessagingDiagnostics.EventIdTag;
        public const string MessageType = MessagingDiagnostics.MessageTypeTag;
        public const string Outcome = "surgicase.outcome";
        public const string PoisonReason = "surgicase.poison_reason";
        public const string DeadLetterReason = "surgicase.dead_letter_reason";
    }

    internal static Activity? StartActivity(string queueName, string operation, ActivityKind kind, ActivityContext parent = default)
    {
        var activity = ActivitySource.StartActivity($"{queueName} {operation}", kind, parent);
        activity?.SetTag(Tags.System, Tags.SystemValue);
        activity?.SetTag(Tags.DestinationName, queueName);
        activity?.SetTag(Tags.OperationType, operation);
        return activity;
    }
}
