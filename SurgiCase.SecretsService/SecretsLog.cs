using Microsoft.Extensions.Logging;

namespace SurgiCase.SecretsService;

/// <summary>Log messages of the SecretsService. Names and AWS error codes only: never a secret value.</summary>
internal static partial class SecretsLog
{
    [LoggerMessage(1, LogLevel.Warning, "⚠️ AWS Secrets Manager error ({ErrorCode}) for {SecretName} - using stale cache (age: {AgeSeconds}s)")]
    public static partial void ServingStale(ILogger logger, string errorCode, string secretName, long ageSeconds);

    [LoggerMessage(2, LogLevel.Error, "AWS Secrets Manager error ({ErrorCode}) for {SecretName} and no usable cached value")]
    public static partial void NoCachedValue(ILogger logger, string errorCode, string secretName);

    [LoggerMessage(3, LogLevel.Warning, "AWS Secrets Manager answered {ErrorCode} for {SecretName}; not masked by the cache")]
    public static partial void DefinitiveError(ILogger logger, string errorCode, string secretName);

    // The exception's type only: its message or stack could quote whatever it was parsing.
    [LoggerMessage(14, LogLevel.Error, "Fetching {SecretName} from AWS Secrets Manager failed unexpectedly ({ExceptionType}); treated as transient")]
    public static partial void UnexpectedFetchError(ILogger logger, string secretName, string exceptionType);

    [LoggerMessage(15, LogLevel.Critical, "AWS Secrets Manager refused the request's signature time ({ErrorCode}) for {SecretName}: this host's clock is off " +
        "by more than AWS allows. Serving cached values as stale; fix the clock (NTP / chrony) or every secret goes unavailable when its copy ages out")]
    public static partial void ClockSkew(ILogger logger, string errorCode, string secretName);

    [LoggerMessage(4, LogLevel.Warning, "Circuit breaker for AWS Secrets Manager opened after {ErrorCode}; stale values are served until a probe succeeds")]
    public static partial void BreakerOpened(ILogger logger, string errorCode);

    [LoggerMessage(5, LogLevel.Information, "Circuit breaker for AWS Secrets Manager closed: AWS answered again")]
    public static partial void BreakerClosed(ILogger logger);

    [LoggerMessage(6, LogLevel.Information, "✅ Secrets warming completed: {Count} secrets refreshed in {Seconds:0.00}s")]
    public static partial void WarmingCompleted(ILogger logger, int count, double seconds);

    [LoggerMessage(7, LogLevel.Warning, "⚠️ Secrets warming partial: {Refreshed}/{Total} secrets refreshed")]
    public static partial void WarmingPartial(ILogger logger, int refreshed, int total);

    [LoggerMessage(9, LogLevel.Error, "Secrets warming run failed unexpectedly")]
    public static partial void WarmingCrashed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Restored {Count} secrets from the encrypted snapshot")]
    public static partial void SnapshotRestored(ILogger logger, int count);

    [LoggerMessage(11, LogLevel.Warning, "Could not read the secrets snapshot at {Path}; starting without it")]
    public static partial void SnapshotUnreadable(ILogger logger, string path, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Could not write the secrets snapshot at {Path}")]
    public static partial void SnapshotWriteFailed(ILogger logger, string path, Exception exception);
}
