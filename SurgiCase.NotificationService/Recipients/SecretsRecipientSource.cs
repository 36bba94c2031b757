using Microsoft.Extensions.Options;
using SurgiCase.SecretsClient;

namespace SurgiCase.NotificationService.Recipients;

/// <summary>Reads <c>job_failure_recipients</c>, <c>admin_email</c> and <c>job_failure_escalation</c> from the recipients secret through SecretsService.</summary>
internal sealed class SecretsRecipientSource(ISecretsClient secrets, IOptions<NotificationOptions> options) : IRecipientSource
{
    public const string JobFailureRecipientsField = "job_failure_recipients";
    public const string AdminEmailField = "admin_email";
    public const string JobFailureEscalationField = "job_failure_escalation";

    public async Task<RecipientSettings> ReadAsync(CancellationToken cancellationToken)
    {
        var name = options.Value.RecipientsSecretName;

        // One lookup for both fields, so they come from the same version of the secret.
        var lookup = await secrets.GetSecretAsync(name, cancellationToken);
        return Parse(lookup.Value);
    }

    internal static RecipientSettings Parse(string? secretJson)
    {
        if (string.IsNullOrWhiteSpace(secretJson))
        {
            return new RecipientSettings(null, null);
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(secretJson);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return new RecipientSettings(null, null);
            }

            return new RecipientSettings(
                Field(document.RootElement, JobFailureRecipientsField), Field(document.RootElement, AdminEmailField),
                Field(document.RootElement, JobFailureEscalationField));
        }
        catch (System.Text.Json.JsonException)
        {
            // Not JSON: no field can be read; the resolver falls through to configuration. The text is never logged.
            return new RecipientSettings(null, null);
        }
    }

    private static string? Field(System.Text.Json.JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == System.Text.Json.JsonValueKind.String
            ? NullIfBlank(value.GetString())
            : null;

    private static string? NullIfBlank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
