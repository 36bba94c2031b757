using System.Net;
using Microsoft.Extensions.Logging;

namespace SurgiCase.Aws;

internal static partial class AwsLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning,
        Message = "AWS {Service} {Operation} failed: {ErrorCode} ({StatusCode}) {AwsMessage}")]
    public static partial void CallFailed(ILogger logger, string service, string operation, string errorCode, HttpStatusCode statusCode, string awsMessage);
}
