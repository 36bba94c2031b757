using Dapper;
using SurgiCase.NotificationService.Feedback;
using SurgiCase.Storage;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// SES's feedback per recipient in the delivery log's database (<c>delivery_feedback</c>). Every write is one statement
/// that is safe to repeat: SQS delivers at least once, and replicas share the table.
/// </summary>
internal sealed class DeliveryFeedbackLog(SqlDatabase database, TimeProvider time)
{
    /// <summary>Keeps each recipient's feedback once; a repeat of the same notification changes nothing.</summary>
    /// <returns>Each recipient's row id, and whether this call added it.</returns>
    public async Task<IReadOnlyList<RecordedFeedback>> RecordAsync(SesFeedback feedback, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var recorded = new List<RecordedFeedback>();
        foreach (var r in feedback.Recipients)
        {
            var key = new { feedback.MessageId, r.Address, r.Outcome };
            var inserted = await db.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                """
                INSERT INTO delivery_feedback (ses_message_id, recipient, outcome, permanent, detail, occurred_at, recorded_at)
                VALUES (@MessageId, @Address, @Outcome, @Permanent, @Detail, @OccurredAt, @Now)
                ON CONFLICT (ses_message_id, recipient, outcome) DO NOTHING
                RETURNING id
                """,
                new
                {
                    feedback.MessageId, r.Address, r.Outcome, Permanent = r.Permanent ? 1 : 0, r.Detail,
                    OccurredAt = SqlTime.Format(feedback.OccurredAt), Now = SqlTime.Format(time.GetUtcNow()),
                },
                cancellationToken: cancellationToken));
            var id = inserted ?? await db.QuerySingleAsync<long>(new CommandDefinition(
                "SELECT id FROM delivery_feedback WHERE ses_message_id = @MessageId AND recipient = @Address AND outcome = @Outcome",
                key, cancellationToken: cancellationToken));
            recorded.Add(new RecordedFeedback(id, r, inserted is not null));
        }

        return recorded;
    }

    /// <summary>The alert SES sent as <paramref name="sesMessageId"/>, when it is one of the delivery log's.</summary>
    public async Task<SentAlert?> FindAlertAsync(string sesMessageId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var row = await db.QueryFirstOrDefaultAsync<SentAlertRow>(new CommandDefinition(
            """
            SELECT id AS Id, job_name AS JobName, subject AS Subject, severity AS Severity, recipients AS Recipients, text AS Text
            FROM delivery_log WHERE ses_message_id = @sesMessageId ORDER BY id LIMIT 1
            """,
            new { sesMessageId }, cancellationToken: cancellationToken));
        return row is null
            ? null
            : new SentAlert(row.Id, row.JobName, row.Subject ?? row.JobName, row.Severity,
                string.IsNullOrEmpty(row.Recipients) ? [] : row.Recipients.Split(','), row.Text ?? "");
    }

    /// <summary>Takes the re-send of a bounce for this caller: true once per feedback row, across redeliveries and replicas.</summary>
    public Task<bool> ClaimReboundAsync(long feedbackId, CancellationToken cancellationToken) =>
        SetReboundAsync(feedbackId, "sending", "rebound IS NULL", cancellationToken);

    /// <summary>Says where the re-send went (CancellationToken.None from the caller: it is out).</summary>
    public Task<bool> RecordReboundAsync(long feedbackId, string note, CancellationToken cancellationToken) =>
        SetReboundAsync(feedbackId, note, "rebound = 'sending'", cancellationToken);

    /// <summary>Gives a claimed re-send back after it failed, so the redelivered notification tries again.</summary>
    public async Task ReleaseReboundAsync(long feedbackId, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_feedback SET rebound = NULL WHERE id = @feedbackId AND rebound = 'sending'",
            new { feedbackId }, cancellationToken: cancellationToken));
    }

    private async Task<bool> SetReboundAsync(long feedbackId, string value, string condition, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ExecuteAsync(new CommandDefinition(
            $"UPDATE delivery_feedback SET rebound = @value WHERE id = @feedbackId AND {condition}",
            new { feedbackId, value }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Addresses that bounced permanently and have not been cleared: by an operator, or by a later email to them that was
    /// delivered. The latest bounce per address.
    /// </summary>
    public async Task<IReadOnlyList<BouncedAddress>> FindFlaggedAsync(CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        var rows = await db.QueryAsync<FeedbackRow>(new CommandDefinition(
            $"""
            SELECT {FeedbackRow.Columns} FROM delivery_feedback b
            WHERE b.outcome = 'bounced' AND b.permanent = 1 AND b.cleared_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM delivery_feedback d
                              WHERE d.recipient = b.recipient AND d.outcome = 'delivered' AND d.occurred_at > b.occurred_at)
            ORDER BY b.occurred_at DESC
            """,
            cancellationToken: cancellationToken));
        return rows
            .DistinctBy(r => r.Recipient)
            .Select(r => new BouncedAddress(r.Recipient, SqlTime.Parse(r.OccurredAt)!.Value, r.Detail, r.SesMessageId))
            .ToList();
    }

    /// <summary>Clears an address's bounce flag (its bounces stay in the log); how many bounces it cleared.</summary>
    public async Task<int> ClearAsync(string address, string by, CancellationToken cancellationToken)
    {
        await using var db = await database.OpenAsync(cancellationToken);
        return await db.ExecuteAsync(new CommandDefinition(
            "UPDATE delivery_feedback SET cleared_at = @now, cleared_by = @by WHERE recipient = @address AND outcome = 'bounced' AND cleared_at IS NULL",
            new { address = SesFeedbackParser.Normalize(address), by, now = SqlTime.Format(time.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    /// <summary>The feedback on the given emails, per SES message id.</summary>
    public async Task<ILookup<string, RecipientStatus>> ForMessagesAsync(IReadOnlyCollection<string> sesMessageIds, CancellationToken cancellationToken)
    {
        if (sesMessageIds.Count == 0)
        {
            return Array.Empty<RecipientStatus>().ToLookup(s => "");
        }

        await using var db = await database.OpenAsync(cancellationToken);
        var parameters = new DynamicParameters();
        var ids = SqlList.In("id", sesMessageIds, parameters);
        var rows = await db.QueryAsync<FeedbackRow>(new CommandDefinition(
            $"SELECT {FeedbackRow.Columns} FROM delivery_feedback b WHERE b.ses_message_id IN {ids} ORDER BY b.occurred_at, b.id",
            parameters, cancellationToken: cancellationToken));
        return rows.ToLookup(
            r => r.SesMessageId,
            r => new RecipientStatus(r.Recipient, r.Outcome, r.Permanent == 1, SqlTime.Parse(r.OccurredAt)!.Value, r.Detail, r.Rebound));
    }

    private sealed record SentAlertRow(long Id, string JobName, string? Subject, string? Severity, string? Recipients, string? Text);

    private sealed class FeedbackRow
    {
        public const string Columns =
            "b.ses_message_id AS SesMessageId, b.recipient AS Recipient, b.outcome AS Outcome, b.permanent AS Permanent, " +
            "b.detail AS Detail, b.occurred_at AS OccurredAt, b.rebound AS Rebound";

        public string SesMessageId { get; init; } = "";
        public string Recipient { get; init; } = "";
        public string Outcome { get; init; } = "";
        public long Permanent { get; init; }
        public string? Detail { get; init; }
        public string OccurredAt { get; init; } = "";
        public string? Rebound { get; init; }
    }
}

/// <summary>A recipient's feedback as the log kept it; <see cref="New"/> when this delivery of the notification added it.</summary>
internal sealed record RecordedFeedback(long Id, RecipientFeedback Recipient, bool New);

/// <summary>A sent alert as the re-send of a bounce needs it.</summary>
internal sealed record SentAlert(long Id, string JobName, string Subject, string? Severity, IReadOnlyList<string> Recipients, string Text);

/// <summary>An address that bounced permanently: flagged on the page and in /health until cleared.</summary>
internal sealed record BouncedAddress(string Address, DateTimeOffset BouncedAt, string? Detail, string SesMessageId);

/// <summary>One recipient's delivery status of an alert, as the API shows it.</summary>
/// <param name="Outcome">delivered, bounced or complained.</param>
/// <param name="Permanent">A hard bounce.</param>
/// <param name="Rebound">Where a bounced critical alert was re-sent ("sending" while it goes out).</param>
internal sealed record RecipientStatus(string Address, string Outcome, bool Permanent, DateTimeOffset At, string? Detail, string? Rebound);
