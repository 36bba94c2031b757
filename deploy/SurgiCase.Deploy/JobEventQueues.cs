using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The job-events queue and its dead-letter queue, as the services expect them: names from Messaging, the redrive
/// after <see cref="Names.MaxReceiveCount"/> receives, SSE with SQS-managed keys (no KMS grants needed). No queue
/// policy: access is only what the task roles allow, and the clients reach SQS over HTTPS through the VPC endpoint.
/// </summary>
internal sealed class JobEventQueues : Construct
{
    public JobEventQueues(Construct scope, string id) : base(scope, id)
    {
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            QueueName = Names.JobEventsDeadLetterQueue,
            Encryption = QueueEncryption.SQS_MANAGED,
            // The longest SQS allows: a dead letter waits for a person, and outlives the stack.
            RetentionPeriod = Duration.Days(14),
            RemovalPolicy = RemovalPolicy.RETAIN,
        });

        Queue = new Queue(this, "Queue", new QueueProps
        {
            QueueName = Names.JobEventsQueue,
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(4),
            // The consumer's Messaging:VisibilityTimeoutSeconds default; it extends the timeout while a handler runs.
            VisibilityTimeout = Duration.Seconds(30),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = Names.MaxReceiveCount },
        });
    }

    public Queue Queue { get; }

    public Queue DeadLetterQueue { get; }
}
