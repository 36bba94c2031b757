using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Contracts;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.Feedback;

/// <summary>
/// One SES notification: each recipient's delivered, bounced or complained goes into the delivery log
/// (<see cref="DeliveryFeedbackLog"/>), and a bounce of a critical alert is re-sent once (<see cref="BounceRebound"/>).
/// A bounce whose alert the log does not know yet (the feedback overtook the record of the send) is received again
/// shortly, up to <c>Notifications:Feedback:UnmatchedReceives</c>; after that, or for an email that is no alert (a
/// reminder, an escalation, a re-send), the feedback is kept and nothing is re-sent.
/// </summary>
internal sealed partial class SesFeedbackHandler(
    DeliveryFeedbackLog log, BounceRebound rebound, IOptions<SesFeedbackOptions> options, ILogger<SesFeedbackHandler> logger)
{
    public async Task<FeedbackDisposition> HandleAsync(string body, int receiveCount, CancellationToken cancellationToken)
    {
        var parse = SesFeedbackParser.Parse(body);
        if (parse.InvalidReason is { } invalid)
        {
            LogUnreadable(logger, invalid, receiveCount);
            return FeedbackDisposition.Keep;
        }

        if (parse.Feedback is not { } feedback)
        {
            LogIgnored(logger, parse.IgnoredReason ?? "-");
            return FeedbackDisposition.Done;
        }

        var recorded = await log.RecordAsync(feedback, cancellationToken);
        foreach (var r in recorded.Where(r => r.New))
        {
            LogRecorded(logger, feedback.MessageId, r.Recipient.Outcome, r.Recipient.Permanent, r.Recipient.Address, r.Recipient.Detail ?? "-");
        }

        var bounces = recorded.Where(r => r.Recipient.Outcome == FeedbackOutcome.Bounced).ToList();
        if (bounces.Count == 0)
        {
            return FeedbackDisposition.Done;
        }

        if (await log.FindAlertAsync(feedback.MessageId, cancellationToken) is not { } alert)
        {
            if (receiveCount < options.Value.UnmatchedReceives)
            {
                return FeedbackDisposition.RetrySoon;
            }

            LogNoAlert(logger, feedback.MessageId, receiveCount);
            return FeedbackDisposition.Done;
        }

        if (alert.Severity != Severities.Critical)
        {
            return FeedbackDisposition.Done;
        }

        foreach (var bounce in bounces)
        {
            await rebound.SendOnceAsync(alert, bounce, cancellationToken);
        }

        return FeedbackDisposition.Done;
    }

    [LoggerMessage(EventId = 1904, Level = LogLevel.Warning, Message = "SES feedback for message {SesMessageId}: {Outcome} (permanent {Permanent}) for {Recipient}: {Detail}")]
    private static partial void LogRecorded(ILogger logger, string sesMessageId, string outcome, bool permanent, string recipient, string detail);

    [LoggerMessage(EventId = 1905, Level = LogLevel.Error, Message = "An SES feedback message cannot be read ({Reason}, receive {ReceiveCount}); it is left for the feedback DLQ")]
    private static partial void LogUnreadable(ILogger logger, string reason, int receiveCount);

    [LoggerMessage(EventId = 1906, Level = LogLevel.Debug, Message = "SES feedback message ignored: {Reason}")]
    private static partial void LogIgnored(ILogger logger, string reason);

    [LoggerMessage(EventId = 1907, Level = LogLevel.Information, Message = "Bounce of SES message {SesMessageId} matches no alert after {ReceiveCount} receives; recorded without a re-send")]
    private static partial void LogNoAlert(ILogger logger, string sesMessageId, int receiveCount);
}
