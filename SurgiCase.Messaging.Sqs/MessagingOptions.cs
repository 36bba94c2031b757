using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.Messaging.Sqs;

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

    /// <summary>
    /// Largest body the consumer accepts; a bigger one is poison. Our events are a few KiB, so a huge
    /// body means something other than our publisher wrote it.
    /// </summary>
    [Range(1024, 1_048_576)]
    public int MaxMessageBytes { get; set; } = 262_144;

    /// <summary>
    /// Cap of the retry delay after a handler failure: the message becomes visible again after
    /// min(2^receiveCount, this) seconds. 0 retries at once.
    /// </summary>
    [Range(0, 43200)]
    public int MaxRetryBackoffSeconds { get; set; } = 300;

    /// <summary>
    /// How long the dead-letter-queue health check reuses its last answer, so frequent probes do not
    /// turn into a stream of SQS calls. A new DLQ message shows on /health at most this much later.
    /// </summary>
    [Range(0, 3600)]
    public int DeadLetterHealthCacheSeconds { get; set; } = 15;
}

[OptionsValidator]
internal sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<MessagingOptions>.Validate(string? name, MessagingOptions options) => Validate(MessagingOptions.SectionName, options);
}
