namespace SurgiCase.NotificationService.Recipients;

/// <summary>Which link of the recipients chain supplied the addresses.</summary>
internal enum RecipientOrigin
{
    /// <summary><c>job_failure_recipients</c> from the recipients secret: the normal case.</summary>
    JobFailureRecipients,

    /// <summary><c>job_failure_escalation</c> from the recipients secret: where an unacknowledged critical alert escalates.</summary>
    JobFailureEscalation,

    /// <summary><c>admin_email</c> from the recipients secret.</summary>
    AdminEmail,

    /// <summary><c>Notifications:FallbackRecipients</c> from configuration.</summary>
    Configuration,

    /// <summary>An escalation that found neither escalation field: the alert's own recipients.</summary>
    AlertRecipients,

    /// <summary>No valid address anywhere.</summary>
    None,
}

/// <summary>
/// The addresses an alert goes to, where they came from, the note the email shows when a fallback was
/// used, and the entries that were dropped as invalid (kept to log them, never sent to SES).
/// </summary>
internal sealed record RecipientResolution(
    IReadOnlyList<string> Addresses,
    RecipientOrigin Origin,
    string? FallbackNote,
    IReadOnlyList<string> Rejected)
{
    public bool IsFallback => Origin is RecipientOrigin.AdminEmail or RecipientOrigin.Configuration or RecipientOrigin.AlertRecipients;
}
