using Dapper;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>Deletes revoked sessions whose cookie could no longer be valid anyway (past their <c>until</c>).</summary>
internal sealed class RevokedSessionsRetentionStep(SqlDatabase database) : IRetentionStep
{
    public string Name => "revoked-sessions";

    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM revoked_sessions WHERE until <= @Now", new { Now = SqlTime.Format(now) }, cancellationToken: cancellationToken));
    }
}
