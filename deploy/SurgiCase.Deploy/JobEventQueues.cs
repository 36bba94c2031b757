using Amazon.CDK;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace SurgiCase.Deploy;

/// <summary>
/// The job-events queue and its dead-letter queue, as the services expect them: names from Messaging, the redrive
/// after <see cref="Names.MaxReceiveCount"/> receives, SSE with SQS-managed keys (no KMS grants needed), and a queue
/// policy that denies any request not made over TLS. Access is only what the task roles allow.
/// </summary>
internal sealed class JobEventQueues : Construct
{
    public JobEventQueues(Construct scope, string id, string environment) : base(scope, id)
    {
        DeadLetterQueue = new Queue(this, "DeadLetterQueue", new QueueProps
        {
            QueueName = Names.JobEventsDeadLetterQueue(environment),
            Encryption = QueueEncryption.SQS_MANAGED,
            // The longest SQS allows: a dead letter waits for a person, and outlives the stack (but not a failed
            // first create, whose rollback must delete it so the retry can create the same name).
            RetentionPeriod = Duration.Days(14),
            RemovalPolicy = RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
            EnforceSSL = true,
        });

        Queue = new Queue(this, "Queue", new QueueProps
        {
            QueueName = Names.JobEventsQueue(environment),
            Encryption = QueueEncryption.SQS_MANAGED,
            RetentionPeriod = Duration.Days(4),
            EnforceSSL = true,
            // The consumer's Messaging:VisibilityTimeoutSeconds default; it extends the timeout while a handler runs.
            VisibilityTimeout = Duration.Seconds(30),
            DeadLetterQueue = new DeadLetterQueue { Queue = DeadLetterQueue, MaxReceiveCount = Names.MaxReceiveCount },
        });
    }

    public Queue Queue { get; }

    public Queue DeadLetterQueue { get; }
}
