using System.Net;
using Microsoft.Extensions.Logging;

namespace SurgiCase.SecretsClient;

internal static partial class SecretsClientLog
{
    [LoggerMessage(1, LogLevel.Warning, "⚠️ SecretsService unavailable ({Reason}) for {SecretName} - using client cache (age: {AgeSeconds}s)")]
    public static partial void ServingClientCached(ILogger logger, string reason, string secretName, long ageSeconds);

    [LoggerMessage(2, LogLevel.Warning, "SecretsService answered {StatusCode} for {SecretName}: {ProblemTitle}")]
    public static partial void LookupRefused(ILogger logger, HttpStatusCode statusCode, string secretName, string? problemTitle);

    [LoggerMessage(3, LogLevel.Debug, "Could not connect to the SecretsService for {SecretName}; retrying once")]
    public static partial void RetryingConnection(ILogger logger, string secretName);
}
