using System.Data.Common;
using Dapper;
using SurgiCase.Storage;

namespace SurgiCase.Messaging.Outbox;

/// <summary>The outbox table. Rows are claimed with a lease so two replicas never publish the same row at once.</summary>
public sealed class SqlOutboxStore(SqlDatabase database) : IOutboxStore
{
    private const string Columns = "event_id AS EventId, run_id AS RunId, job_id AS JobId, message_type AS MessageType, body AS Body, " +
        "trace_parent AS TraceParent, created_at AS CreatedAt, attempts AS Attempts, published_at AS PublishedAt, " +
        "message_id AS MessageId, last_error AS LastError";

    /// <summary>Adds a row inside the caller's transaction, so the event commits (or not) with the caller's own rows.</summary>
    public static Task InsertAsync(DbConnection connection, DbTransaction? transaction, OutboxMessage message, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO outbox (event_id, run_id, job_id, message_type, body, trace_parent, created_at, attempts, next_attempt_at)
            VALUES (@EventId, @RunId, @JobId, @MessageType, @Body, @TraceParent, @CreatedAt, 0, @CreatedAt)
            """,
            new
            {
                message.EventId, message.RunId, message.JobId, message.MessageType, message.Body, message.TraceParent,
                CreatedAt = SqlTime.Format(message.CreatedAt),
            },
            transaction, cancellationToken: cancellationToken));

    public async Task AddAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await InsertAsync(connection, null, message, cancellationToken);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAsync(
        string owner, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var nowText = SqlTime.Format(now);
        var order = database.Dialect.InsertionOrder;
        // Per job in order: a row waits while an older pending row of its job is not due or is held by another pass
        // (after an outage the older row has backed off longer, and must still go first). Older due rows come earlier
        // in the same batch; the dispatcher stops a job's rows at its first failure.
        var candidates = await connection.QueryAsync<string>(new CommandDefinition(
            $"""
            SELECT event_id FROM outbox
            WHERE published_at IS NULL AND parked_at IS NULL AND next_attempt_at <= @Now AND (claimed_until IS NULL OR claimed_until < @Now)
              AND NOT EXISTS (
                SELECT 1 FROM outbox older
                WHERE older.job_id = outbox.job_id AND older.published_at IS NULL AND older.parked_at IS NULL
                  AND (older.created_at < outbox.created_at OR (older.created_at = outbox.created_at AND older.{order} < outbox.{order}))
                  AND (older.next_attempt_at > @Now OR older.claimed_until >= @Now))
            ORDER BY created_at, {order} LIMIT @Limit
            """,
            new { Now = nowText, Limit = (long)limit }, cancellationToken: cancellationToken));
        var claimed = new List<OutboxMessage>();
        foreach (var eventId in candidates)
        {
            // Compare-and-set: of two replicas reading the same candidate, one updates it and the other sees 0 rows.
            // A row is taken only while every older pending row of its job is held by this same pass: two replicas that
            // read the same candidates cannot split a job between them (one taking the old row, the other the new) and
            // publish its events side by side, out of order.
            // The row comes back with the update that takes it: one statement per claimed row.
            var row = await connection.QuerySingleOrDefaultAsync<OutboxRow>(new CommandDefinition(
                $"""
                UPDATE outbox SET claimed_by = @Owner, claimed_until = @Until
                WHERE event_id = @EventId AND published_at IS NULL AND parked_at IS NULL AND (claimed_until IS NULL OR claimed_until < @Now)
                  AND NOT EXISTS (
                    SELECT 1 FROM outbox older
                    WHERE older.job_id = outbox.job_id AND older.published_at IS NULL AND older.parked_at IS NULL
                      AND (older.created_at < outbox.created_at OR (older.created_at = outbox.created_at AND older.{order} < outbox.{order}))
                      AND NOT (COALESCE(older.claimed_by, '') = @Owner AND COALESCE(older.claimed_until, '') >= @Now))
                RETURNING {Columns}
                """,
                new { Owner = owner, Until = SqlTime.Format(claimUntil), EventId = eventId, Now = nowText },
                cancellationToken: cancellationToken));
            if (row is not null)
            {
                claimed.Add(row.ToMessage());
            }
        }

        return claimed;
    }

    public async Task MarkPublishedAsync(string eventId, DateTimeOffset at, string messageId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET published_at = @At, message_id = @MessageId, attempts = attempts + 1, claimed_by = NULL, claimed_until = NULL
            WHERE event_id = @EventId
            """,
            new { EventId = eventId, At = SqlTime.Format(at), MessageId = messageId }, cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(string eventId, int attempts, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET attempts = @Attempts, next_attempt_at = @Next, last_error = @Error, claimed_by = NULL, claimed_until = NULL
            WHERE event_id = @EventId
            """,
            new { EventId = eventId, Attempts = (long)attempts, Next = SqlTime.Format(nextAttemptAt), Error = error },
            cancellationToken: cancellationToken));
    }

    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var text = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MIN(CASE WHEN claimed_until IS NOT NULL AND claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) " +
            "FROM outbox WHERE published_at IS NULL AND parked_at IS NULL",
            cancellationToken: cancellationToken));
        return SqlTime.Parse(text);
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListForRunAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM outbox WHERE run_id = @RunId ORDER BY created_at", new { RunId = runId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public Task<int> CountPendingAsync(CancellationToken cancellationToken) =>
        CountAsync("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NULL", cancellationToken);

    public Task<int> CountRetryingAsync(CancellationToken cancellationToken) =>
        CountAsync("SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND parked_at IS NULL AND attempts > 0", cancellationToken);

    public async Task ParkAsync(string eventId, int attempts, DateTimeOffset at, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbox SET parked_at = @At, attempts = @Attempts, last_error = @Reason, claimed_by = NULL, claimed_until = NULL
            WHERE event_id = @EventId AND published_at IS NULL
            """,
            new { EventId = eventId, At = SqlTime.Format(at), Attempts = (long)attempts, Reason = reason }, cancellationToken: cancellationToken));
    }

    public async Task<OutboxStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<StatsRow>(new CommandDefinition(
            """
            SELECT COUNT(CASE WHEN parked_at IS NULL THEN 1 END) AS Pending,
                   MIN(CASE WHEN parked_at IS NULL THEN created_at END) AS OldestPending,
                   COUNT(parked_at) AS Parked
            FROM outbox WHERE published_at IS NULL
            """,
            cancellationToken: cancellationToken));
        return new OutboxStats((int)row.Pending, SqlTime.Parse(row.OldestPending), (int)row.Parked);
    }

    private async Task<int> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return (int)await connection.ExecuteScalarAsync<long>(new CommandDefinition(sql, cancellationToken: cancellationToken));
    }

    private sealed class StatsRow
    {
        public long Pending { get; set; }
        public string? OldestPending { get; set; }
        public long Parked { get; set; }
    }

    private sealed class OutboxRow
    {
        public string EventId { get; set; } = "";
        public string RunId { get; set; } = "";
        public string JobId { get; set; } = "";
        public string MessageType { get; set; } = "";
        public string Body { get; set; } = "";
        public string? TraceParent { get; set; }
        public string CreatedAt { get; set; } = "";
        public long Attempts { get; set; }
        public string? PublishedAt { get; set; }
        public string? MessageId { get; set; }
        public string? LastError { get; set; }

        public OutboxMessage ToMessage() => new(
            EventId, RunId, JobId, MessageType, Body, TraceParent, SqlTime.Parse(CreatedAt)!.Value, (int)Attempts,
            SqlTime.Parse(PublishedAt), MessageId, LastError);
    }
}
