namespace SurgiCase.NotificationService.Recipients;

/// <summary>The recipient fields as the secret holds them, unvalidated; null when a field is absent or empty.</summary>
/// <param name="JobFailureEscalation">Who gets a critical alert nobody acknowledged after its reminders (issue 11.3).</param>
internal sealed record RecipientSettings(string? JobFailureRecipients, string? AdminEmail, string? JobFailureEscalation = null);

/// <summary>
/// Where the alert recipients are configured. Kept behind this interface so the recipients can come from
/// SecretsService in production and from a fixed value in tests. Throws when the source is unreachable.
/// </summary>
internal interface IRecipientSource
{
    Task<RecipientSettings> ReadAsync(CancellationToken cancellationToken);
}
