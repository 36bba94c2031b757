using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>
/// Acknowledge, remind, escalate (issue 11.3). Bound from <c>Notifications:Acknowledgement</c>. A critical alert that
/// nobody acknowledges is emailed again every <see cref="ReminderInterval"/> to the same recipients; after
/// <see cref="MaxRemindersBeforeEscalation"/> reminders, one escalation goes to <c>job_failure_escalation</c> (else
/// <c>admin_email</c>) and the reminders end.
/// </summary>
internal sealed class AcknowledgementOptions
{
    public const string SectionName = NotificationOptions.SectionName + ":Acknowledgement";

    /// <summary>How long after the alert (and after each reminder) the next reminder goes out.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Reminders to the alert's own recipients before the escalation (0: escalate at the first reminder).</summary>
    [Range(0, 100)]
    public int MaxRemindersBeforeEscalation { get; set; } = 2;

    /// <summary>How long the emailed acknowledge link works.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often each replica looks for due reminders; a reminder goes out at most this late.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}

[OptionsValidator]
internal sealed partial class AcknowledgementOptionsValidator : IValidateOptions<AcknowledgementOptions>
{
    ValidateOptionsResult IValidateOptions<AcknowledgementOptions>.Validate(string? name, AcknowledgementOptions options) =>
        Validate(AcknowledgementOptions.SectionName, options);
}
