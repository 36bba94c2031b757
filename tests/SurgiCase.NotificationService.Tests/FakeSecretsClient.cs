using SurgiCase.SecretsClient;

namespace SurgiCase.NotificationService.Tests;

/// <summary>Serves fixed top-level fields of JSON secrets.</summary>
internal sealed class FakeSecretsClient(Dictionary<(string Name, string Field), string> fields) : ISecretsClient
{
    public Task<SecretLookup> GetSecretAsync(string name, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<string?> GetSecretFieldAsync(string name, string field, CancellationToken cancellationToken = default) =>
        Task.FromResult(fields.TryGetValue((name, field), out var value) ? value : null);
}
