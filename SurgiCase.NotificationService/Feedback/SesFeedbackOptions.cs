using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// The SES feedback queue (bounces, complaints, deliveries: configuration set event destination → SNS topic → this
/// queue). Bound from <c>Notifications:Feedback</c>. No queue name: no feedback is read (delivery is then only "accepted").
/// </summary>
internal sealed class SesFeedbackOptions
{
    public const string SectionName = "Notifications:Feedback";

    /// <summary>The SQS queue subscribed to the feedback topic, e.g. <c>surgicase-ses-feedback</c>; empty: off.</summary>
    [RegularExpression("^[A-Za-z0-9_-]{1,80}$", ErrorMessage = "Notifications:Feedback:QueueName must be an SQS queue name (1-80 letters, digits, '-' or '_').")]
    public string? QueueName { get; set; }

    /// <summary>SQS long polling wait, 0–20 s.</summary>
    [Range(0, 20)]
    public int WaitTimeSeconds { get; set; } = 20;

    /// <summary>Visibility timeout of a received notification: how long before a failed one is tried again.</summary>
    [Range(5, 43200)]
    public int VisibilityTimeoutSeconds { get; set; } = 60;

    /// <summary>
    /// How many receives a bounce of an alert the delivery log does not know yet waits for it (SES's feedback may overtake
    /// the log's record of the send) before it is kept without a re-send.
    /// </summary>
    [Range(1, 100)]
    public int UnmatchedReceives { get; set; } = 5;

    /// <summary>Seconds before a bounce waiting for its alert is received again.</summary>
    [Range(0, 900)]
    public int UnmatchedRetrySeconds { get; set; } = 2;

    public bool Enabled => !string.IsNullOrEmpty(QueueName);
}

[OptionsValidator]
internal sealed partial class SesFeedbackOptionsValidator : IValidateOptions<SesFeedbackOptions>
{
    // Validated under the section's name, so a message names the key ("Section.Member"), not the class.
    ValidateOptionsResult IValidateOptions<SesFeedbackOptions>.Validate(string? name, SesFeedbackOptions options) => Validate(SesFeedbackOptions.SectionName, options);
}
