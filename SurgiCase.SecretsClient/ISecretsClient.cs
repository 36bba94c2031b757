namespace SurgiCase.SecretsClient;

/// <summary>Reads secrets from the SecretsService, keeping a last-known-good copy for its short outages.</summary>
public interface ISecretsClient
{
    /// <exception cref="SecretsClientException">The lookup was refused, or failed with no copy to fall back on.</exception>
    Task<SecretLookup> GetSecretAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>One top-level field of a JSON secret, e.g. <c>job_failure_recipients</c> of <c>surgicase/main</c>.</summary>
    /// <returns>The field's string value (other JSON kinds as their JSON text), or null if the field or a JSON object is missing.</returns>
    Task<string?> GetSecretFieldAsync(string name, string field, CancellationToken cancellationToken = default);
}
