using SurgiCase.Messaging.Contracts;

namespace SurgiCase.NotificationService.Rendering;

/// <summary>
/// How loud an alert is, from the event's <c>severity</c> field, and how it looks. A message from before the field
/// existed (null) reads as it always did: a failure is critical, a partial failure a warning (the scheduler only sent
/// one above its threshold).
/// </summary>
internal static class AlertSeverities
{
    public static AlertSeverity Of(IJobEvent jobEvent) => jobEvent switch
    {
        JobFailed { RetryAt: not null } => AlertSeverity.Warning, // the early warning of a timed-out attempt, whatever the job
        JobFailed { Severity: Severities.Warning } => AlertSeverity.Warning,
        JobFailed => AlertSeverity.Critical,
        JobPartiallyFailed { Severity: Severities.Critical } => AlertSeverity.Critical,
        JobPartiallyFailed => AlertSeverity.Warning,
        JobRecovered => AlertSeverity.Resolved,
        _ => throw new ArgumentException($"No alert is defined for {jobEvent.GetType().Name}.", nameof(jobEvent)),
    };

    /// <summary>
    /// The header's look: a partial failure is the seed's orange ⚠️ whatever its severity (the severity stays a tag that
    /// drives reminders and escalation); anything else looks like its severity.
    /// </summary>
    public static AlertLook LookOf(IJobEvent jobEvent) => jobEvent is JobPartiallyFailed ? AlertLook.Warning : LookOf(Of(jobEvent));

    /// <summary>The look of an alert that has no kind of its own to show (a digest, a reminder): its severity's.</summary>
    public static AlertLook LookOf(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => AlertLook.Failure,
        AlertSeverity.Warning => AlertLook.Warning,
        _ => AlertLook.Resolved,
    };

    /// <summary>The value the delivery log and the API carry: <c>critical</c>, <c>warning</c> or <c>resolved</c>.</summary>
    public static string Name(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => Severities.Critical,
        AlertSeverity.Warning => Severities.Warning,
        _ => "resolved",
    };
}
