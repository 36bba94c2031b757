using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The delivery log in PostgreSQL, for several NotificationService replicas. The claim is the same as
/// SQLite's: INSERT ... ON CONFLICT DO NOTHING, then a compare-and-set UPDATE. Both are single statements
/// that PostgreSQL serialises on the row (the UNIQUE index for the insert, the row lock for the update),
/// so at most one replica owns an event at any time.
/// </summary>
internal sealed class PostgresDeliveryLog : DeliveryLogReads<PostgresRecordRow, DateTime>, IDeliveryLog, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly SemaphoreSlim _initLock = new(1, 1);
    private volatile bool _initialized;

    public PostgresDeliveryLog(IOptions<DeliveryLogOptions> storage, IOptions<NotificationOptions> options, TimeProvider time)
    {
        _dataSource = NpgsqlDataSource.Create(storage.Value.PostgresConnectionString
            ?? throw new InvalidOperationException($"ConnectionStrings:{DeliveryLogOptions.ConnectionStringName} is not set."));
        _time = time;
        _lease = options.Value.ClaimLease;
    }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _initLock.WaitAsync(cancellationToken);
        try
        {
            if (!_initialized)
            {
                await using var db = await _dataSource.OpenConnectionAsync(cancellationToken);
                await using var tx = await db.BeginTransactionAsync(cancellationToken);
                await db.ExecuteAsync(new CommandDefinition(
                    PostgresDeliveryLogSchema.Create, new { lockKey = PostgresDeliveryLogSchema.SchemaLockKey }, tx, cancellationToken: cancellationToken));
                await tx.CommitAsync(cancellationToken);
                _initialized = true;
            }
        }
        finally
        {
            _initLock.Release();
        }
    }

    public async Task<ClaimResult> TryClaimAsync(ClaimRequest r, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var now = _time.GetUtcNow().UtcDateTime;
        var leaseUntil = now + _lease;

        var inserted = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            INSERT INTO notifications (eventid, messagetype, jobid, jobname, errorkind, occurredat, status, attempts, createdat, leaseuntil)
            VALUES (@EventId, @MessageType, @JobId, @JobName, @ErrorKind, @OccurredAt, 'sending', 1, @Now, @LeaseUntil)
            ON CONFLICT (eventid) DO NOTHING
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, r.MessageType, r.JobId, r.JobName, r.ErrorKind, OccurredAt = r.OccurredAt.UtcDateTime, Now = now, LeaseUntil = leaseUntil },
            cancellationToken: cancellationToken));
        if (inserted is not null)
        {
            return new ClaimResult(ClaimOutcome.Claimed, inserted.Id, inserted.Attempts, inserted.Status);
        }

        // Take it over only if the last attempt failed or its owner's lease ran out (the owner died).
        var reclaimed = await db.QuerySingleOrDefaultAsync<ClaimRow>(new CommandDefinition(
            """
            UPDATE notifications SET status = 'sending', attempts = attempts + 1, leaseuntil = @LeaseUntil
            WHERE eventid = @EventId AND (status = 'failed' OR (status = 'sending' AND leaseuntil < @Now))
            RETURNING id AS Id, attempts AS Attempts, status AS Status
            """,
            new { r.EventId, LeaseUntil = leaseUntil, Now = now },
            cancellationToken: cancellationToken));
        if (reclaimed is not null)
        {
            return new ClaimResult(ClaimOutcome.Claimed, reclaimed.Id, reclaimed.Attempts, reclaimed.Status);
        }

        var existing = await db.QuerySingleAsync<ClaimRow>(new CommandDefinition(
            "SELECT id AS Id, attempts AS Attempts, status AS Status FROM notifications WHERE eventid = @EventId",
            new { r.EventId }, cancellationToken: cancellationToken));
        var outcome = DeliveryStatus.IsFinal(existing.Status) ? ClaimOutcome.AlreadyDelivered : ClaimOutcome.InProgress;
        return new ClaimResult(outcome, existing.Id, existing.Attempts, existing.Status);
    }

    public Task RecordRenderedAsync(long id, string subject, IReadOnlyList<string> recipients, string? note, string html, string text, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE notifications SET subject = @subject, recipients = @recipients, note = @note, html = @html, text = @text WHERE id = @id",
            new { id, subject, recipients = string.Join(',', recipients), note, html, text }, cancellationToken);

    public Task MarkDeliveredAsync(long id, string status, string channel, string? sesMessageId, string? lastError, CancellationToken cancellationToken) =>
        ExecuteAsync(
            """
            UPDATE notifications SET status = @status, channel = @channel, sesmessageid = @sesMessageId, sentat = @now,
                lasterror = COALESCE(@lastError, lasterror), leaseuntil = NULL
            WHERE id = @id
            """,
            new { id, status, channel, sesMessageId, lastError, now = _time.GetUtcNow().UtcDateTime }, cancellationToken);

    public Task MarkFailedAsync(long id, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE notifications SET status = 'failed', lasterror = @error, leaseuntil = NULL WHERE id = @id", new { id, error }, cancellationToken);

    public Task MarkSuppressedAsync(long id, string note, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE notifications SET status = 'suppressed', note = @note, leaseuntil = NULL WHERE id = @id", new { id, note }, cancellationToken);

    public async Task<(int Count, DateTimeOffset? FirstAt)> CountSuppressedAsync(string jobId, long afterId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        var row = await db.QuerySingleAsync<(long Count, DateTime? FirstAt)>(new CommandDefinition(
            "SELECT COUNT(*), MIN(occurredat) FROM notifications WHERE jobid = @jobId AND id > @afterId AND id < @beforeId AND status = 'suppressed'",
            new { jobId, afterId, beforeId }, cancellationToken: cancellationToken));
        return ((int)row.Count, row.FirstAt is { } first ? ToUtc(first) : null);
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        _initLock.Dispose();
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _initLock.Dispose();
    }

    private async Task ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using var db = await OpenAsync(cancellationToken);
        await db.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await _dataSource.OpenConnectionAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) => await OpenAsync(cancellationToken);

    protected override DateTimeOffset ToUtc(DateTime time) => PostgresRecordRow.Utc(time);

    private sealed record ClaimRow(long Id, int Attempts, string Status);
}
