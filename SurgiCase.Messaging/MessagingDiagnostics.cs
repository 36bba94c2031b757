using System.Diagnostics;

namespace SurgiCase.Messaging;

/// <summary>Names to register with OpenTelemetry (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class MessagingDiagnostics
{
    public const string ActivitySourceName = "SurgiCase.Messaging";

    public const string MeterName = "SurgiCase.Messaging";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    /// <summary>Span tag names. Message bodies never become tags.</summary>
    internal static class Tags
    {
        public const string System = "messaging.system";
        public const string SystemValue = "aws_sqs";
        public const string DestinationName = "messaging.destination.name";
        public const string OperationType = "messaging.operation.type";
        public const string MessageId = "messaging.message.id";
        public const string DeliveryCount = "messaging.message.delivery_count";
        public const string EventId = "surgicase.event_id";
        public const string MessageType = "surgicase.message_type";
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
