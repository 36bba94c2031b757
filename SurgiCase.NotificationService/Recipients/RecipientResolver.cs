using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Recipients;

/// <summary>
/// The seed's recipients chain: <c>job_failure_recipients</c>, else <c>admin_email</c>, else
/// <c>Notifications:FallbackRecipients</c>. A link counts only if it yields at least one valid address,
/// so a secret holding only garbage falls through rather than silencing the alert.
/// </summary>
internal sealed partial class RecipientResolver(
    IRecipientSource source, IOptions<NotificationOptions> options, ILogger<RecipientResolver> logger)
{
    public async Task<RecipientResolution> ResolveAsync(CancellationToken cancellationToken)
    {
        var secretName = options.Value.RecipientsSecretName;
        RecipientSettings? settings = null;
        string? unavailableReason = null;
        try
        {
            settings = await source.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The type only: an exception message from a secrets client is not trusted to be free of values.
            unavailableReason = e.GetType().Name;
            LogSourceUnavailable(logger, secretName, unavailableReason);
        }

        var rejected = new List<string>();
        if (settings is not null)
        {
            var primary = Validate(settings.JobFailureRecipients, rejected);
            if (primary.Count > 0)
            {
                return Done(new RecipientResolution(primary, RecipientOrigin.JobFailureRecipients, null, rejected));
            }

            var admin = Validate(settings.AdminEmail, rejected);
            if (admin.Count > 0)
            {
                var note = $"Sent to admin_email because job_failure_recipients in secret '{secretName}' is not set or holds no valid address.";
                return Done(new RecipientResolution(admin, RecipientOrigin.AdminEmail, note, rejected));
            }
        }

        var configured = Validate(options.Value.FallbackRecipients, rejected);
        var why = settings is null
            ? $"the recipients secret '{secretName}' could not be read ({unavailableReason})"
            : $"secret '{secretName}' holds no valid job_failure_recipients or admin_email";
        if (configured.Count > 0)
        {
            var note = $"Sent to the configured fallback recipients (Notifications:FallbackRecipients) because {why}.";
            return Done(new RecipientResolution(configured, RecipientOrigin.Configuration, note, rejected));
        }

        return Done(new RecipientResolution([], RecipientOrigin.None, $"No recipients: {why}, and Notifications:FallbackRecipients is empty.", rejected));
    }

    /// <summary>
    /// Who an unacknowledged critical alert escalates to: <c>job_failure_escalation</c>, else <c>admin_email</c>, else
    /// (the secret unreadable or holding neither) the alert's own recipients, so the escalation still reaches someone.
    /// </summary>
    public async Task<RecipientResolution> ResolveEscalationAsync(IReadOnlyList<string> alertRecipients, CancellationToken cancellationToken)
    {
        var secretName = options.Value.RecipientsSecretName;
        RecipientSettings? settings = null;
        try
        {
            settings = await source.ReadAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSourceUnavailable(logger, secretName, e.GetType().Name);
        }

        var rejected = new List<string>();
        var escalation = Validate(settings?.JobFailureEscalation, rejected);
        if (escalation.Count > 0)
        {
            return Done(new RecipientResolution(escalation, RecipientOrigin.JobFailureEscalation, null, rejected));
        }

        var admin = Validate(settings?.AdminEmail, rejected);
        if (admin.Count > 0)
        {
            var note = $"Escalated to admin_email because job_failure_escalation in secret '{secretName}' is not set or holds no valid address.";
            return Done(new RecipientResolution(admin, RecipientOrigin.AdminEmail, note, rejected));
        }

        var why = settings is null ? "could not be read" : "holds no valid job_failure_escalation or admin_email";
        return Done(new RecipientResolution(alertRecipients, RecipientOrigin.AlertRecipients,
            $"Escalated to the alert's own recipients because secret '{secretName}' {why}.", rejected));
    }

    private List<string> Validate(string? list, List<string> rejected)
    {
        var valid = new List<string>();
        foreach (var entry in EmailAddressValidator.Split(list))
        {
            if (EmailAddressValidator.IsValid(entry))
            {
                if (!valid.Contains(entry, StringComparer.OrdinalIgnoreCase))
                {
                    valid.Add(entry);
                }
            }
            else
            {
                rejected.Add(entry);
            }
        }

        return valid;
    }

    private RecipientResolution Done(RecipientResolution resolution)
    {
        foreach (var bad in resolution.Rejected)
        {
            // Escaped so a CR/LF in the value cannot forge a log line.
            LogInvalidAddress(logger, bad.ReplaceLineEndings("\\n"));
        }

        if (resolution.IsFallback)
        {
            LogFallbackUsed(logger, resolution.Origin, resolution.Addresses.Count);
        }

        return resolution;
    }

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Recipients secret {SecretName} is unavailable ({Reason}); using the configured fallback")]
    private static partial void LogSourceUnavailable(ILogger logger, string secretName, string reason);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Dropped invalid recipient address {Address}")]
    private static partial void LogInvalidAddress(ILogger logger, string address);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning, Message = "Alert recipients fell back to {Origin} ({Count} addresses)")]
    private static partial void LogFallbackUsed(ILogger logger, RecipientOrigin origin, int count);
}
