namespace SurgiCase.Operations.Panels;

/// <summary>The SecretsService cache without values: staleness per secret and the AWS circuit breaker.</summary>
internal sealed class SecretsCacheClient(HttpClient http, ILogger<SecretsCacheClient> logger)
{
    public Task<PanelResult<SecretsCacheHealth>> CacheAsync(CancellationToken cancellationToken) =>
        PanelCall.GetAsync<SecretsCacheHealth>(http, "/cache", "SecretsService", logger, cancellationToken);
}
