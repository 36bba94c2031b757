using Amazon.CDK.AWS.IAM;

namespace SurgiCase.Deploy;

/// <summary>
/// What each service's own code calls in AWS, one statement per resource, no wildcard actions. Read against the
/// code: the publisher looks the queue URL up by name (GetQueueUrl) and sends; the consumer receives, deletes,
/// extends visibility and moves poison messages to the DLQ itself; the DLQ health check reads the DLQ's size.
/// </summary>
internal static class TaskPermissions
{
    /// <summary>The scheduler publishes job events (through its outbox).</summary>
    public static PolicyStatement[] Scheduler(JobEventQueues queues) =>
    [
        Allow(queues.Queue.QueueArn, "sqs:GetQueueUrl", "sqs:SendMessage"),
    ];

    /// <summary>
    /// The notification service consumes job events, dead-letters poison messages with the reason, watches the DLQ's
    /// size for /health, and sends alerts from its identity with its configuration set.
    /// </summary>
    public static PolicyStatement[] Notifications(JobEventQueues queues, AlertEmail email) =>
    [
        Allow(queues.Queue.QueueArn, "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"),
        Allow(queues.DeadLetterQueue.QueueArn, "sqs:GetQueueUrl", "sqs:SendMessage", "sqs:GetQueueAttributes"),
        new(new PolicyStatementProps
        {
            Actions = ["ses:SendEmail"],
            Resources = [email.IdentityArn, email.ConfigurationSetArn],
        }),
    ];

    /// <summary>
    /// SecretsService reads the application secrets it is configured with, each by its own ARN (no prefix wildcard),
    /// and publishes the warming job's failure alert to the queue (without it a Secrets Manager outage during warming
    /// would reach nobody).
    /// </summary>
    public static PolicyStatement[] Secrets(JobEventQueues queues, IEnumerable<string> secretArns) =>
    [
        new(new PolicyStatementProps
        {
            Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resources = [.. secretArns],
        }),
        Allow(queues.Queue.QueueArn, "sqs:GetQueueUrl", "sqs:SendMessage"),
    ];

    private static PolicyStatement Allow(string resource, params string[] actions) =>
        new(new PolicyStatementProps { Actions = actions, Resources = [resource] });
}
