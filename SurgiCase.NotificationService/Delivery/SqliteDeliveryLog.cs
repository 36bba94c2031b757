using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The delivery log in one SQLite file. Every claim is a single statement (INSERT ... ON CONFLICT DO
/// NOTHING, then a compare-and-set UPDATE), so two consumers or two replicas sharing the file can never
/// both own an event. WAL mode lets readers (the API) run beside the writer.
/// </summary>
internal sealed class SqliteDeliveryLog : DeliveryLogReads<SqliteRecordRow, string>, IDeliveryLog, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public SqliteDeliveryLog(IOptions<NotificationOptions> options, TimeProvider time)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        Directory.CreateDirectory(directory);
        DatabasePath = Path.Combine(directory, "notifications.db");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _time = time;
        _lease = options.Value.ClaimLease;
    }

    public string DatabasePath { get; }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
    }

    public async Task<ClaimResult> TryClaimAsync(ClaimRequest r, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var leaseUntil = (now + _lease).ToUnixTimeMilliseconds();

        var inserted = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            INSERT INTO notifications (eventId, messageType, jobId, jobName, errorKind, occurredAt, status, attempts, createdAt, leaseUntil)
            VALUES (@EventId, @MessageType, @JobId, @JobName, @ErrorKind, @OccurredAt, 'sending', 1, @Now, @LeaseUntil)
            ON CONFLICT (eventId) DO NOTHING
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, r.MessageType, r.JobId, r.JobName, r.ErrorKind, OccurredAt = Iso(r.OccurredAt), Now = Iso(now), LeaseUntil = leaseUntil },
            cancellationToken: cancellationToken));
        if (inserted is not null)
        {
            return new ClaimResult(ClaimOutcome.Claimed, inserted.Id, (int)inserted.Attempts, inserted.Status);
        }

        // Take it over only if the last attempt failed or its owner's lease ran out (the owner died).
        var reclaimed = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            UPDATE notifications SET status = 'sending', attempts = attempts + 1, leaseUntil = @LeaseUntil
            WHERE eventId = @EventId AND (status = 'failed' OR (status = 'sending' AND leaseUntil < @NowMs))
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, LeaseUntil = leaseUntil, NowMs = now.ToUnixTimeMilliseconds() },
            cancellationToken: cancellationToken));
        if (reclaimed is not null)
        {
            return new ClaimResult(ClaimOutcome.Claimed, reclaimed.Id, (int)reclaimed.Attempts, reclaimed.Status);
        }

        var existing = await db.QuerySingleAsync<ClaimRow>(new CommandDefinition(
            "SELECT id AS Id, attempts AS Attempts, status AS Status FROM notifications WHERE eventId = @EventId",
            new { r.EventId }, cancellationToken: cancellationToken));
        var outcome = DeliveryStatus.IsFinal(existing.Status) ? ClaimOutcome.AlreadyDelivered : ClaimOutcome.InProgress;
        return new ClaimResult(outcome, existing.Id, (int)existing.Attempts, existing.Status);
    }

    public async Task RecordRenderedAsync(long id, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text WHERE id = @id",
            new { id, subject, recipients = string.Join(',', recipients), note, html, text }, cancellationToken: cancellationToken));
    }

    public async Task MarkDeliveredAsync(long id, string status, string channel, string? sesMessageId, string? lastError, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notifications SET status = @status, channel = @channel, sesMessageId = @sesMessageId, sentAt = @now,
                lastError = COALESCE(@lastError, lastError), leaseUntil = NULL
            WHERE id = @id
            """,
            new { id, status, channel, sesMessageId, lastError, now = Iso(_time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    public async Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET status = 'failed', lastError = @error, leaseUntil = NULL WHERE id = @id",
            new { id, error }, cancellationToken: cancellationToken));
    }

    public async Task<(int Count, DateTimeOffset? FirstAt)> CountSuppressedAsync(string jobId, long afterId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleAsync<(long Count, string? FirstAt)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(occurredAt) FROM notifications WHERE jobId = @jobId AND id > @afterId AND id < @beforeId AND status = 'suppressed'",
            new { jobId, afterId, beforeId }, cancellationToken: cancellationToken));
        return ((int)row.Count, row.FirstAt is null ? null : ToUtc(row.FirstAt));
    }

    public async Task MarkSuppressedAsync(long id, string note, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(
            "UPDATE notifications SET status = 'suppressed', note = @note, leaseUntil = NULL WHERE id = @id",
            new { id, note }, cancellationToken: cancellationToken));
    }

    public void Dispose() => _initLock.Dispose();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = new SqliteConnection(_connectionString);
        try
        {
            await db.OpenAsync(cancellationToken);
            if (!_initialized)
            {
                await EnsureSchemaOnceAsync(db, cancellationToken);
            }

            return db;
        }
        catch
        {
            // The caller never gets the connection, so nobody else would close it (and, pooled, return it).
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task EnsureSchemaOnceAsync(SqliteConnection db, CancellationToken cancellationToken)
    {
        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await db.ExecuteAsync(DeliveryLogSchema.Create);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    protected override DateTimeOffset ToUtc(string time) => SqliteRecordRow.Parse(time);

    internal static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record ClaimRow(long Id, long Attempts, string Status);
}
