using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>A header to add to a job's HTTP call, e.g. <c>X-Api-Key</c>. The value is never logged or traced.</summary>
public sealed record ApiCredential(string HeaderName, string Value)
{
    public override string ToString() => $"{HeaderName}: ***";
}

/// <summary>
/// Where report jobs get the SurgiCase API key. The SecretsService-backed provider (secret <c>surgicase/api</c>,
/// field <c>api_key</c>) replaces the default; it should throw <see cref="CredentialUnavailableException"/>
/// when no key can be had, which fails the run as <c>SecretsUnavailable</c>.
/// </summary>
public interface IApiCredentialProvider
{
    ValueTask<ApiCredential?> GetAsync(JobDefinition job, CancellationToken cancellationToken);
}

/// <summary>No credential could be had. <see cref="SecretName"/> names the secret (never its value) for the alert.</summary>
public sealed class CredentialUnavailableException(string message, Exception? inner = null, string? secretName = null) : Exception(message, inner)
{
    public string? SecretName { get; } = secretName;
}

/// <summary>Sends no credential: the local simulator does not demand one unless configured to.</summary>
internal sealed class NoApiCredentialProvider : IApiCredentialProvider
{
    public ValueTask<ApiCredential?> GetAsync(JobDefinition job, CancellationToken cancellationToken) => ValueTask.FromResult<ApiCredential?>(null);
}
