using System.Diagnostics;

namespace SurgiCase.Messaging;

/// <summary>
/// Names to register with OpenTelemetry (<c>AddSource</c>, <c>AddMeter</c>), shared by messaging and its transports.
/// Message bodies never become tags.
/// </summary>
public static class MessagingDiagnostics
{
    public const string ActivitySourceName = "SurgiCase.Messaging";

    public const string MeterName = "SurgiCase.Messaging";

    /// <summary>Tag of a job event's idempotency key.</summary>
    public const string EventIdTag = "surgicase.event_id";

    /// <summary>Tag of a job event's wire type (<c>job-failed.v1</c>).</summary>
    public const string MessageTypeTag = "surgicase.message_type";

    internal static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
