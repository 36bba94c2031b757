using Dapper;
using SurgiCase.Operations.Hosting;
using SurgiCase.Storage;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>
/// The operations page's revoked sessions in the scheduler's database, so a sign-out on one replica is honoured by every
/// other; rows past their <c>until</c> are deleted by the retention sweep (<see cref="RevokedSessionsRetentionStep"/>).
/// </summary>
internal sealed class SqlSessionRevocationStore(SqlDatabase database) : ISessionRevocationStore
{
    public async Task RevokeAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO revoked_sessions (session_id, until) VALUES (@SessionId, @Until)
            ON CONFLICT (session_id) DO UPDATE SET until = excluded.until
            """,
            new { SessionId = sessionId, Until = SqlTime.Format(until) }, cancellationToken: cancellationToken));
    }

    public async Task<bool> IsRevokedAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM revoked_sessions WHERE session_id = @SessionId AND until > @Now",
            new { SessionId = sessionId, Now = SqlTime.Format(now) }, cancellationToken: cancellationToken)) > 0;
    }
}
