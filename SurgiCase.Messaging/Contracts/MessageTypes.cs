namespace SurgiCase.Messaging.Contracts;

/// <summary>
/// Stable wire names, sent in the <c>message-type</c> message attribute. Never a CLR type name:
/// renaming a record must not break a message already in the queue.
/// </summary>
public static class MessageTypes
{
    public const string AttributeName = "message-type";

    public const string JobFailed = "job-failed.v1";
    public const string JobPartiallyFailed = "job-partially-failed.v1";
    public const string JobRecovered = "job-recovered.v1";

    public static string For(IJobEvent jobEvent) => jobEvent switch
    {
        Contracts.JobFailed => JobFailed,
        Contracts.JobPartiallyFailed => JobPartiallyFailed,
        Contracts.JobRecovered => JobRecovered,
        _ => throw new ArgumentException($"No wire type is defined for {jobEvent.GetType().Name}.", nameof(jobEvent)),
    };
}
