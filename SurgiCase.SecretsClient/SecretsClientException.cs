using System.Net;

namespace SurgiCase.SecretsClient;

/// <summary>
/// The SecretsService refused or could not answer a lookup and there was no copy to fall back on (or the refusal was
/// definitive: 401, 403, 404 are never masked). Carries the status and problem title, never a value.
/// </summary>
public sealed class SecretsClientException(string secretName, HttpStatusCode? statusCode, string? problemTitle, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string SecretName { get; } = secretName;

    /// <summary>The SecretsService's status; null when it could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; } = statusCode;

    public string? ProblemTitle { get; } = problemTitle;
}
