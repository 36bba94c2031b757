using System.Globalization;
using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SecretsClient;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// The SurgiCase API key, read through the SecretsService on every attempt (so a rotated key is picked up and the
/// SecretsService's stale fallback covers an AWS outage). The key goes only to the API's own host.
/// </summary>
internal sealed class SecretsApiCredentialProvider(ISecretsClient secrets, IOptions<SurgiCaseApiOptions> options) : IApiCredentialProvider
{
    public const string HeaderName = "X-Api-Key";

    public async ValueTask<ApiCredential?> GetAsync(JobDefinition job, CancellationToken cancellationToken)
    {
        var api = options.Value;
        if (!TargetsApi(job, api.BaseAddress))
        {
            // An absolute URL elsewhere (e.g. the SecretsService's warm endpoint) must never receive the API's key.
            return null;
        }

        var name = api.ApiKeySecretName!;
        string? key;
        try
        {
            key = await secrets.GetSecretFieldAsync(name, api.ApiKeySecretField, cancellationToken);
        }
        catch (SecretsClientException e)
        {
            throw new CredentialUnavailableException(Reason(e), e, name);
        }

        if (string.IsNullOrEmpty(key))
        {
            throw new CredentialUnavailableException($"the secret has no field {api.ApiKeySecretField}", secretName: name);
        }

        return new ApiCredential(HeaderName, key);
    }

    private static bool TargetsApi(JobDefinition job, Uri apiBase)
    {
        var url = new Uri(job.Url, UriKind.RelativeOrAbsolute);
        return !url.IsAbsoluteUri
               || (string.Equals(url.Scheme, apiBase.Scheme, StringComparison.OrdinalIgnoreCase)
                   && string.Equals(url.Authority, apiBase.Authority, StringComparison.OrdinalIgnoreCase));
    }

    // Said in words for the alert; the SecretsService's status and problem title carry no secret value.
    private static string Reason(SecretsClientException e) => e.StatusCode switch
    {
        null => "SecretsService unreachable and no cached copy in this process",
        var status when (int)status >= 500 =>
            $"SecretsService answered {((int)status).ToString(CultureInfo.InvariantCulture)} {e.ProblemTitle} and no cached copy in this process",
        var status => $"SecretsService refused the lookup: {((int)status).ToString(CultureInfo.InvariantCulture)} {e.ProblemTitle}",
    };
}
