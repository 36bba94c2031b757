using System.Net;

namespace SurgiCase.Aws;

/// <summary>
/// An AWS call that failed: the AWS error code (e.g. <c>InternalServiceError</c>,
/// <c>ResourceNotFoundException</c>), the HTTP status, and whether retrying can help.
/// Timeouts and connection failures are reported with <see cref="HttpStatusCode"/> 0 and the codes
/// <see cref="TimeoutCode"/> / <see cref="ConnectionFailedCode"/>; failures to resolve credentials with
/// <see cref="CredentialsUnavailableCode"/> (or the SDK's own code), unreadable 2xx bodies with <see cref="InvalidResponseCode"/>
/// (transient for reads such as GetSecretValue, not for sends).
/// Never carries request or response bodies
/// beyond AWS's own error message, so a secret value cannot leak through it.
/// </summary>
public sealed class AwsServiceException : Exception
{
    public const string TimeoutCode = "RequestTimeout";
    public const string ConnectionFailedCode = "ConnectionFailed";
    public const string CredentialsUnavailableCode = "CredentialsUnavailable";
    public const string InvalidResponseCode = "InvalidResponse";

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "InternalServiceError", "InternalFailure", "ServiceUnavailable", "ThrottlingException",
        "Throttling", "TooManyRequestsException", "RequestLimitExceeded", TimeoutCode, ConnectionFailedCode,
        // Credentials that could not be fetched (an STS or instance metadata outage) say nothing about the secret or
        // the email, and nothing was sent. InvalidResponse is not listed: it is transient only for a read (see AwsCall),
        // because retrying a send whose 2xx answer was unreadable could send the email twice.
        CredentialsUnavailableCode,
    };

    private readonly bool _transient;

    public AwsServiceException(string service, string errorCode, HttpStatusCode statusCode, string message, Exception? inner = null)
        : this(service, errorCode, statusCode, message, inner, transient: false)
    {
    }

    /// <param name="transient">True to report the failure as transient whatever its code, e.g. a credential
    /// provider's own AWS error (an STS <c>ExpiredToken</c> is not a verdict of the service being called).</param>
    public AwsServiceException(string service, string errorCode, HttpStatusCode statusCode, string message, Exception? inner, bool transient)
        : base($"AWS {service} error {errorCode} ({(int)statusCode}): {message}", inner)
    {
        _transient = transient;
        Service = service;
        ErrorCode = errorCode;
        StatusCode = statusCode;
        AwsMessage = message;
    }

    public string Service { get; }

    public string ErrorCode { get; }

    public HttpStatusCode StatusCode { get; }

    public string AwsMessage { get; }

    /// <summary>
    /// True for throttling, 5xx, timeouts, connection failures, unavailable credentials and unreadable answers to
    /// reads: worth a retry or a stale value.
    /// </summary>
    public bool IsTransient => _transient || TransientCodes.Contains(ErrorCode) || (int)StatusCode >= 500;

    /// <summary>
    /// AWS refused the request's time: this host's clock is more than AWS allows (5 minutes) away from AWS's. Nothing
    /// about the secret or the email; not transient by itself (retrying with the same clock fails the same way), but a
    /// reader with a cached copy should serve it, and someone must fix the clock.
    /// </summary>
    public bool IsClockSkew =>
        ErrorCode is "RequestTimeTooSkewed" or "RequestExpired"
        || (ErrorCode is "InvalidSignatureException" or "SignatureDoesNotMatch"
            && AwsMessage.Contains("Signature expired", StringComparison.OrdinalIgnoreCase));
}
