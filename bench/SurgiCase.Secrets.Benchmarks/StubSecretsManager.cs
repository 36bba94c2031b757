using SurgiCase.Aws;

namespace SurgiCase.Secrets.Benchmarks;

/// <summary>Stands in for AWS: only the cached path is measured, so AWS is asked once per secret to warm the cache.</summary>
internal sealed class StubSecretsManager : ISecretsManagerClient
{
    public const string MainValue =
        """{"job_failure_recipients":"ops@surgicase.local,admin@surgicase.local","admin_email":"admin@surgicase.local","sender_email":"alerts@surgicase.local"}""";

    public Task<SecretValue> GetSecretValueAsync(string secretId, CancellationToken cancellationToken = default) =>
        Task.FromResult(new SecretValue(secretId, MainValue, "v1-0123456789abcdef", DateTimeOffset.UtcNow));
}
