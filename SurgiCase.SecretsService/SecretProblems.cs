using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace SurgiCase.SecretsService;

/// <summary>
/// Maps an AWS error to problem details that name the AWS error code and the secret, never a value. Definitive errors
/// keep their meaning (404, 403, …); a transient error with nothing usable in the cache is a 503.
/// </summary>
internal static class SecretProblems
{
    public static ProblemHttpResult For(string name, SecretFetchError error, bool hadCachedValue)
    {
        var (status, title) = error.ErrorCode switch
        {
            _ when error.IsTransient => (StatusCodes.Status503ServiceUnavailable, "Secret unavailable"),
            "ResourceNotFoundException" => (StatusCodes.Status404NotFound, "Secret not found"),
            "AccessDeniedException" => (StatusCodes.Status403Forbidden, "Access to the secret denied by AWS"),
            "InvalidParameterException" => (StatusCodes.Status400BadRequest, "Invalid secret request"),
            "InvalidRequestException" => (StatusCodes.Status409Conflict, "Secret not in a readable state"),
            "DecryptionFailure" => (StatusCodes.Status502BadGateway, "Secret could not be decrypted"),
            _ => (StatusCodes.Status502BadGateway, "Secrets Manager error"),
        };

        string detail;
        if (error.IsTransient)
        {
            var why = error.BreakerOpen
                ? $"AWS Secrets Manager is failing ({error.ErrorCode}); calls are paused by the circuit breaker"
                : $"AWS Secrets Manager answered {error.ErrorCode}";
            detail = hadCachedValue
                ? $"{why} for {name} and the cached value may not be served (stale values not allowed or too old)."
                : $"{why} for {name} and there is no cached value to fall back on.";
        }
        else
        {
            detail = $"AWS Secrets Manager answered {error.ErrorCode} for {name}.";
        }

        var extensions = new Dictionary<string, object?>
        {
            ["secretName"] = name,
            ["awsErrorCode"] = error.ErrorCode,
            ["circuitBreakerOpen"] = error.BreakerOpen,
        };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: extensions);
    }

    public static ProblemHttpResult NotAllowed(string? caller, string name) =>
        TypedResults.Problem(
            title: "Secret not allowed",
            detail: $"Caller '{caller}' may not read {name}.",
            statusCode: StatusCodes.Status403Forbidden,
            extensions: new Dictionary<string, object?> { ["secretName"] = name });
}
