using System.Net;

namespace SurgiCase.Aws;

/// <summary>
/// An AWS call that failed: the AWS error code (e.g. <c>InternalServiceError</c>,
/// <c>ResourceNotFoundException</c>), the HTTP status, and whether retrying can help.
/// Timeouts and connection failures are reported with <see cref="HttpStatusCode"/> 0 and the codes
/// <see cref="TimeoutCode"/> / <see cref="ConnectionFailedCode"/>. Never carries request or response bodies
/// beyond AWS's own error message, so a secret value cannot leak through it.
/// </summary>
public sealed class AwsServiceException : Exception
{
    public const string TimeoutCode = "RequestTimeout";
    public const string ConnectionFailedCode = "ConnectionFailed";

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalServiceError", "InternalFailure", "ServiceUnavailable", "ThrottlingException",
        "Throttling", "TooManyRequestsException", "RequestLimitExceeded", TimeoutCode, ConnectionFailedCode,
    };

    public AwsServiceException(string service, string errorCode, HttpStatusCode statusCode, string message, Exception? inner = null)
        : base($"AWS {service} error {errorCode} ({(int)statusCode}): {message}", inner)
    {
        Service = service;
        ErrorCode = errorCode;
        StatusCode = statusCode;
        AwsMessage = message;
    }

    public string Service { get; }

    public string ErrorCode { get; }

    public HttpStatusCode StatusCode { get; }

    public string AwsMessage { get; }

    /// <summary>True for throttling, 5xx, timeouts and connection failures: worth a retry or a stale value.</summary>
    public bool IsTransient => TransientCodes.Contains(ErrorCode) || (int)StatusCode >= 500;
}
