using Microsoft.Extensions.Options;
using SurgiCase.Aws;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The primary channel: the rendered email through SES (<see cref="SesEmailChannel"/> retries its transient errors)
/// from <c>Notifications:Sender</c> to the resolved recipients. An SES error is a failure the fallback answers; anything
/// else propagates and keeps the message for a retry, as before the pipeline.
/// </summary>
internal sealed partial class EmailAlertChannel(SesEmailChannel ses, IOptions<NotificationOptions> options, ILogger<EmailAlertChannel> logger) : IAlertChannel
{
    public string Name => DeliveryChannel.Email;

    public ChannelRoles RolesFor(string severity) => ChannelRoles.Primary;

    public string? Refusal(ChannelMessage message) =>
        message.Recipients.Count == 0 ? message.RecipientsNote ?? "No recipients." : null;

    public async Task<ChannelOutcome> SendAsync(ChannelMessage message, CancellationToken cancellationToken)
    {
        var email = message.Email;
        try
        {
            var sesMessageId = await ses.SendAsync(new EmailMessage(options.Value.Sender, message.Recipients, email.Subject, email.Html, email.Text), cancellationToken);
            return ChannelOutcome.Sent(sesMessageId);
        }
        catch (AwsServiceException e)
        {
            LogEmailFailed(logger, message.Reference, e.ErrorCode, (int)e.StatusCode, e.IsTransient);
            return ChannelOutcome.Failed($"SES {e.ErrorCode} ({(int)e.StatusCode})");
        }
    }

    [LoggerMessage(EventId = 1120, Level = LogLevel.Error, Message = "Email for {Reference} failed: SES {ErrorCode} ({Status}), transient {Transient}")]
    private static partial void LogEmailFailed(ILogger logger, string reference, string errorCode, int status, bool transient);
}
