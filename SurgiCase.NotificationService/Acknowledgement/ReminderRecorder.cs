using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Telemetry;

namespace SurgiCase.NotificationService.Acknowledgement;

/// <summary>Records a reminder's outcome: who an escalation went to, the counters and the log line.</summary>
internal sealed partial class ReminderRecorder(IAcknowledgementLog log, NotificationTelemetry telemetry, ILogger<ReminderSender> logger)
{
    public async Task SentAsync(DueReminder due, ReminderTurn turn, IReadOnlyList<string> to, IAlertChannel channel, ChannelOutcome outcome)
    {
        var messageId = outcome.MessageId ?? "-";
        if (turn.Escalation)
        {
            // CancellationToken.None: the escalation is out; who it went to must be kept.
            await log.RecordEscalationAsync(due.Id, to, CancellationToken.None);
            LogEscalated(logger, due.Id, due.JobName, to.Count, channel.Name, messageId);
        }
        else
        {
            LogReminded(logger, due.Id, due.JobName, turn.Number, turn.Max, channel.Name, messageId);
        }

        telemetry.Sent(ReminderSender.MessageType, channel.Name);
    }

    public void Failed(DueReminder due, ReminderTurn turn, string error) => LogReminderFailed(logger, due.Id, turn.Number, error);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Critical alert {AlertId} for {JobName} is not acknowledged: reminder {Number} of {Max} sent by {Channel}, message {MessageId}")]
    private static partial void LogReminded(ILogger logger, long alertId, string jobName, int number, int max, string channel, string messageId);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Critical alert {AlertId} for {JobName} is still not acknowledged: escalated to {RecipientCount} recipients by {Channel}, message {MessageId}")]
    private static partial void LogEscalated(ILogger logger, long alertId, string jobName, int recipientCount, string channel, string messageId);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Reminder {Number} of critical alert {AlertId} could not be sent: {Error}; trying again on a later check")]
    private static partial void LogReminderFailed(ILogger logger, long alertId, int number, string error);
}
