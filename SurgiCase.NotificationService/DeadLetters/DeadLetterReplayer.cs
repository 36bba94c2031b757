using Amazon.SQS.Model;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Sqs;
using SurgiCase.NotificationService.Storage;

namespace SurgiCase.NotificationService.DeadLetters;

/// <summary>
/// Lists the DLQ and replays its messages to the job-events queue (issue 19.4). A replay is idempotent by event id: one
/// copy of an event goes back per replay, further DLQ copies of it are deleted, and the consumer's delivery log
/// recognises an event already emailed, so a replay never sends an email twice. An alert only the fallback webhook got
/// is re-opened first, so its replay sends the email once. Every replayed message is audited (who, when, which event).
/// </summary>
internal sealed class DeadLetterReplayer(
    DeadLetterQueue queue, DeadLetterReplayLog log, TimeProvider time, IOptions<MessagingOptions> messaging, ILogger<DeadLetterReplayer> logger)
{
    /// <summary>Most messages one request reads: bounds a request's time; replay-all says how many remain.</summary>
    public const int MaxPerRequest = 500;

    public async Task<DeadLetterList> ListAsync(int limit, CancellationToken cancellationToken)
    {
        var count = await queue.CountAsync(cancellationToken);
        var messages = await queue.ReceiveAsync(limit, count, cancellationToken);
        try
        {
            var letters = messages.Select(Describe).ToList();
            var statuses = await log.DeliveryStatusesAsync(letters.Where(l => l.EventId is not null).Select(l => l.EventId!).ToList(), cancellationToken);
            return new DeadLetterList(queue.DeadLetterQueueName, count, letters
                .Select(l => l.EventId is { } id && statuses.TryGetValue(id, out var status) ? l with { DeliveryStatus = status } : l)
                .OrderBy(l => l.DeadLetteredAt)
                .ToList());
        }
        finally
        {
            await queue.ReleaseAsync(messages);
        }
    }

    /// <summary>Replays the message with this DLQ message id, or the event with this event id (deleting its other copies).</summary>
    /// <returns>Null when nothing in the DLQ matches.</returns>
    public async Task<ReplayReport?> ReplayAsync(string id, string by, CancellationToken cancellationToken)
    {
        var messages = await queue.ReceiveAsync(MaxPerRequest, await queue.CountAsync(cancellationToken), cancellationToken);
        var keep = new List<Message>();
        try
        {
            var matches = new List<(Message Message, DeadLetter Letter)>();
            foreach (var message in messages)
            {
                var letter = Describe(message);
                if (letter.MessageId == id || letter.EventId == id)
                {
                    matches.Add((message, letter));
                }
                else
                {
                    keep.Add(message);
                }
            }

            if (matches.Count == 0)
            {
                return null;
            }

            keep.AddRange(matches.Where(m => m.Letter.Poison).Select(m => m.Message));
            return await ReplayEachEventOnceAsync(matches.Where(m => !m.Letter.Poison).ToList(), matches.Count(m => m.Letter.Poison), by, cancellationToken);
        }
        finally
        {
            await queue.ReleaseAsync(keep);
        }
    }

    /// <summary>Replays everything but poison, up to <see cref="MaxPerRequest"/> messages.</summary>
    public async Task<ReplayReport> ReplayAllAsync(string by, CancellationToken cancellationToken)
    {
        var messages = await queue.ReceiveAsync(MaxPerRequest, await queue.CountAsync(cancellationToken), cancellationToken);
        var letters = messages.Select(m => (Message: m, Letter: Describe(m))).ToList();
        var poison = letters.Where(l => l.Letter.Poison).Select(l => l.Message).ToList();
        try
        {
            return await ReplayEachEventOnceAsync(letters.Where(l => !l.Letter.Poison).ToList(), poison.Count, by, cancellationToken);
        }
        finally
        {
            await queue.ReleaseAsync(poison);
        }
    }

    private async Task<ReplayReport> ReplayEachEventOnceAsync(
        IReadOnlyList<(Message Message, DeadLetter Letter)> candidates, int skippedPoison, string by, CancellationToken cancellationToken)
    {
        var replayed = new List<DeadLetter>();
        var events = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = 0;
        foreach (var (message, letter) in candidates)
        {
            if (letter.EventId is { } eventId && !events.Add(eventId))
            {
                await queue.DeleteAsync(message);
                duplicates++;
                continue;
            }

            await ReplayOneAsync(message, letter, by, cancellationToken);
            replayed.Add(letter);
        }

        return new ReplayReport(replayed, duplicates, skippedPoison, await queue.CountAsync(cancellationToken));
    }

    private async Task ReplayOneAsync(Message message, DeadLetter letter, string by, CancellationToken cancellationToken)
    {
        var reopened = letter.EventId is { } eventId && await log.ReopenFallbackAsync(eventId, cancellationToken);
        try
        {
            await queue.SendToQueueAsync(message, cancellationToken);
        }
        catch when (reopened)
        {
            await log.UndoReopenAsync(letter.EventId!, CancellationToken.None);
            throw;
        }

        // Recorded once the copy is in the queue, before the original goes: a crash in between leaves the original for
        // another replay, which the delivery log then recognises as a duplicate.
        await log.RecordAsync(
            new DeadLetterReplay(letter.EventId, letter.MessageId, letter.MessageType, letter.JobId, letter.Reason, by, time.GetUtcNow(), reopened),
            CancellationToken.None);
        await queue.DeleteAsync(message);
        DeadLetterLog.Replayed(logger, letter.MessageId, letter.EventId, letter.MessageType, by, reopened);
    }

    private DeadLetter Describe(Message message) =>
        DeadLetter.From(message, messaging.Value.MaxReceiveCount, time.GetUtcNow(), messaging.Value.MaxMessageBytes);
}
