using System.ComponentModel.DataAnnotations;

namespace SurgiCase.Messaging;

/// <summary>Queue names and consumer tuning. Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    [Required]
    public string QueueName { get; set; } = "surgicase-job-events";

    [Required]
    public string DeadLetterQueueName { get; set; } = "surgicase-job-events-dlq";

    /// <summary>Receives after which SQS moves a message to the DLQ (the queue's RedrivePolicy).</summary>
    [Range(1, 1000)]
    public int MaxReceiveCount { get; set; } = 5;

    /// <summary>SQS long polling wait, 0–20 s.</summary>
    [Range(0, 20)]
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>Messages per receive, 1–10.</summary>
    [Range(1, 10)]
    public int MaxMessagesPerBatch { get; set; } = 10;

    /// <summary>How many messages are handled at once.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Visibility timeout given to a received message; extended while its handler still runs.</summary>
    [Range(5, 43200)]
    public int VisibilityTimeoutSeconds { get; set; } = 30;
}
