using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;

namespace SurgiCase.NotificationService.Storage;

/// <summary>
/// Thins the delivery log: rendered emails (html, text) are emptied after <c>Notifications:BodyRetention</c>, rows are
/// deleted after the longer <c>Notifications:RowRetention</c>. A row being sent is left alone whatever its age. SES's
/// delivery feedback (<c>delivery_feedback</c>) goes after the same <c>RowRetention</c>, except an uncleared permanent
/// bounce: it keeps the address flagged on the page and in /health until it is cleared.
/// </summary>
internal sealed class DeliveryLogRetentionStep(SqlDatabase database, IOptions<NotificationOptions> options) : IRetentionStep
{
    public string Name => "delivery-log";

    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var emptied = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE delivery_log SET html = NULL, text = NULL
            WHERE created_at < @Before AND status <> 'sending' AND (html IS NOT NULL OR text IS NOT NULL)
            """,
            new { Before = SqlTime.Format(now - options.Value.BodyRetention) }, cancellationToken: cancellationToken));
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM delivery_log WHERE created_at < @Before AND status <> 'sending'",
            new { Before = SqlTime.Format(now - options.Value.RowRetention) }, cancellationToken: cancellationToken));
        // A permanent bounce nobody has cleared keeps its address flagged, whatever its age.
        var feedback = await connection.ExecuteAsync(new CommandDefinition(
            """
            DELETE FROM delivery_feedback
            WHERE recorded_at < @Before AND NOT (outcome = 'bounced' AND permanent = 1 AND cleared_at IS NULL)
            """,
            new { Before = SqlTime.Format(now - options.Value.RowRetention) }, cancellationToken: cancellationToken));
        return emptied + deleted + feedback;
    }
}
