using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The kind of alert the delivery log records (<c>message_type</c>, <c>GET /notifications</c>' <c>messageType</c>): the
/// wire type, except for the early warning of a timed-out attempt (a <c>job-failed.v1</c> with <c>retryAt</c>), which is
/// <see cref="AttemptTimedOut"/>. It is no failure of the job yet: it never folds into a storm, is never the alert a
/// later failure is folded against or counted from, and, being a warning, gets no acknowledge link and no reminders.
/// </summary>
internal static class DeliveryLogTypes
{
    public const string AttemptTimedOut = "job-attempt-timed-out";

    public static string Of(IJobEvent jobEvent) =>
        jobEvent is JobFailed { RetryAt: not null } ? AttemptTimedOut : MessageTypes.For(jobEvent);
}
