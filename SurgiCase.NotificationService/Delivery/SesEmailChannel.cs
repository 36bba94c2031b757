using Microsoft.Extensions.Options;
using SurgiCase.Aws;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// Sends through SES, retrying throttling and 5xx with exponential backoff inside one delivery, so a
/// short SES hiccup does not push the alert to the fallback channel. A permanent rejection
/// (<c>MessageRejected</c>, a bad address) is not retried: it would fail the same way again.
/// </summary>
internal sealed partial class SesEmailChannel(
    ISesEmailClient ses, IOptions<NotificationOptions> options, TimeProvider time, ILogger<SesEmailChannel> logger)
{
    public async Task<string> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.SesMaxAttempts;
        var delay = options.Value.SesRetryBaseDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // Not cancelled by shutdown: once the request is out, SES may already have sent the email, and
                // abandoning the answer would record a failure and send it again after the restart.
                // Aws:RequestTimeout bounds the wait; shutdown still stops the backoff and further attempts.
                cancellationToken.ThrowIfCancellationRequested();
                return await ses.SendEmailAsync(message, CancellationToken.None);
            }
            catch (AwsServiceException e) when (e.IsTransient && attempt < maxAttempts)
            {
                var wait = SurgiCase.Messaging.Jitter.Apply(delay, Random.Shared.NextDouble());
                LogTransient(logger, e.ErrorCode, (int)e.StatusCode, attempt, maxAttempts, wait);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, cancellationToken);
                }

                delay *= 2;
            }
        }
    }

    [LoggerMessage(EventId = 1121, Level = LogLevel.Warning, Message = "SES answered {ErrorCode} ({Status}) on attempt {Attempt} of {MaxAttempts}; retrying in {Delay}")]
    private static partial void LogTransient(ILogger logger, string errorCode, int status, int attempt, int maxAttempts, TimeSpan delay);
}
