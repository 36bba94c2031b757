using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Rendering;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Which alerts carry an acknowledge link and get reminders, and the link itself:
/// <c>{Notifications:OperationsPageUrl}ack/{token}</c>, a page that asks before it acknowledges (a GET never does).
/// </summary>
internal sealed class AcknowledgeLinks(AcknowledgeTokens tokens, IOptions<NotificationOptions> options)
{
    public const string PathSegment = "ack/";

    /// <summary>Critical job failures (full or partial) can be acknowledged; digests and recoveries cannot.</summary>
    public static bool IsAcknowledgeable(IJobEvent jobEvent) =>
        jobEvent is JobFailed or JobPartiallyFailed && AlertSeverities.Of(jobEvent) == AlertSeverity.Critical;

    /// <summary>A test notification carries the link (to try it) but never gets reminders.</summary>
    public static bool GetsReminders(IJobEvent jobEvent) =>
        IsAcknowledgeable(jobEvent) && (jobEvent as JobFailed)?.Trigger != Triggers.Test;

    public Uri For(long alertId) => new(options.Value.OperationsPageUrl, PathSegment + tokens.Create(alertId));
}
