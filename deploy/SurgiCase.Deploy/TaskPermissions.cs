using Amazon.CDK;
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
    /// SecretsService reads the application secrets, and publishes the warming job's failure alert to the queue
    /// (without it a Secrets Manager outage during warming would reach nobody).
    /// </summary>
    public static PolicyStatement[] Secrets(JobEventQueues queues, string environment) =>
    [
        new(new PolicyStatementProps
        {
            Actions = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
            Resources = [ApplicationSecretsArnPattern(queues, environment)],
        }),
        Allow(queues.Queue.QueueArn, "sqs:GetQueueUrl", "sqs:SendMessage"),
    ];

    /// <summary>
    /// Every <c>surgicase/&lt;environment&gt;/*</c> secret (Secrets Manager appends a random suffix to each name's ARN),
    /// and no other environment's.
    /// </summary>
    public static string ApplicationSecretsArnPattern(Constructs.IConstruct scope, string environment) =>
        Stack.Of(scope).FormatArn(new ArnComponents
        {
            Service = "secretsmanager",
            Resource = "secret",
            ResourceName = ApplicationSecrets.ApplicationPrefix(environment) + "*",
            ArnFormat = ArnFormat.COLON_RESOURCE_NAME,
        });

    private static PolicyStatement Allow(string resource, params string[] actions) =>
        new(new PolicyStatementProps { Actions = actions, Resources = [resource] });
}
