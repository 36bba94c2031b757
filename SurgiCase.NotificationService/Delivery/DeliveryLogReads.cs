using System.Data.Common;
using Dapper;

namespace SurgiCase.NotificationService.Delivery;

/// <summary>
/// The delivery log's reads, shared by the SQLite and PostgreSQL stores: the SQL is the same in both (unquoted
/// names are case-insensitive in both). A store supplies its connection, its row type and how its time column
/// (<typeparamref name="TTime"/>, as its driver returns it) becomes UTC.
/// </summary>
internal abstract class DeliveryLogReads<TRow, TTime>
    where TRow : DeliveryLogRow
{
    public async Task<IReadOnlyList<NotificationRecord>> ListAsync(int limit, CancellationToken cancellationToken)
    {
        await using var db = await OpenConnectionAsync(cancellationToken);
        var rows = await db.QueryAsync<TRow>(new CommandDefinition(
            $"SELECT {DeliveryLogRow.Columns} FROM notifications ORDER BY id DESC LIMIT @limit",
            new { limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<NotificationRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenConnectionAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<TRow>(new CommandDefinition(
            $"SELECT {DeliveryLogRow.Columns} FROM notifications WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<string?> GetHtmlAsync(long id, CancellationToken cancellationToken)
    {
        await using var db = await OpenConnectionAsync(cancellationToken);
        return await db.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT html FROM notifications WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<PriorAlert?> FindLastDeliveredAsync(string jobId, long beforeId, CancellationToken cancellationToken)
    {
        await using var db = await OpenConnectionAsync(cancellationToken);
        var row = await db.QuerySingleOrDefaultAsync<PriorRow>(new CommandDefinition(
            """
            SELECT id AS Id, messageType AS MessageType, errorKind AS ErrorKind, occurredAt AS OccurredAt FROM notifications
            WHERE jobId = @jobId AND id < @beforeId AND status IN ('sent', 'fallback-sent')
            ORDER BY id DESC LIMIT 1
            """,
            new { jobId, beforeId }, cancellationToken: cancellationToken));
        return row is null ? null : new PriorAlert(row.Id, row.MessageType, row.ErrorKind, ToUtc(row.OccurredAt));
    }

    /// <summary>An open connection, the schema created.</summary>
    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    protected abstract DateTimeOffset ToUtc(TTime time);

    private sealed record PriorRow(long Id, string MessageType, string? ErrorKind, TTime OccurredAt);
}
