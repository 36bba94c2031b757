using System.Data.Common;
using Dapper;
using SurgiCase.Storage;

namespace SurgiCase.SchedulerService.Storage;

internal sealed class SqlRecoveryStore(SqlDatabase database) : IRecoveryStore
{
    public async Task<IReadOnlyList<PendingRecovery>> ListPendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            """
            SELECT failed_run_id AS FailedRunId, job_id AS JobId, error_kind AS ErrorKind, dependency AS Dependency,
                   idempotency_key AS IdempotencyKey, failed_at AS FailedAt
            FROM recoveries WHERE status = @Pending ORDER BY failed_at
            """,
            new { RecoveryStatuses.Pending }, cancellationToken: cancellationToken));
        return rows.Select(r => new PendingRecovery(r.FailedRunId, r.JobId, r.ErrorKind, r.Dependency, r.IdempotencyKey,
            SqlTime.Parse(r.FailedAt)!.Value)).ToList();
    }

    public async Task<bool> TryClaimAsync(string failedRunId, RunRecord recoveryRun, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var won = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE recoveries SET status = @Claimed, recovery_run_id = @RunId, resolved_at = @At
            WHERE failed_run_id = @FailedRunId AND status = @Pending
            """,
            new { RecoveryStatuses.Claimed, RecoveryStatuses.Pending, recoveryRun.RunId, FailedRunId = failedRunId, At = SqlTime.Format(at) },
            transaction, cancellationToken: cancellationToken));
        if (won != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await SqlRunStore.InsertAsync(connection, transaction, recoveryRun, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> TryResolveAsync(string failedRunId, string status, string note, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recoveries SET status = @Status, note = @Note, resolved_at = @At WHERE failed_run_id = @FailedRunId AND status = @Pending",
            new { Status = status, Note = note, At = SqlTime.Format(at), FailedRunId = failedRunId, RecoveryStatuses.Pending },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Part of a failed run's completion: any pending recovery of the job is superseded by this newer failure, and the
    /// failure's own recovery (when it qualifies) is added.
    /// </summary>
    internal static async Task RecordFailureAsync(
        DbConnection connection, DbTransaction transaction, string jobId, PendingRecovery? recovery, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recoveries SET status = @Superseded, note = @Note, resolved_at = @At WHERE job_id = @JobId AND status = @Pending",
            new
            {
                RecoveryStatuses.Superseded, RecoveryStatuses.Pending, JobId = jobId, At = SqlTime.Format(at),
                Note = "a later run of the job failed",
            },
            transaction, cancellationToken: cancellationToken));
        if (recovery is null)
        {
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO recoveries (failed_run_id, job_id, error_kind, dependency, idempotency_key, failed_at, status)
            VALUES (@FailedRunId, @JobId, @ErrorKind, @Dependency, @IdempotencyKey, @FailedAt, @Pending)
            """,
            new
            {
                recovery.FailedRunId, recovery.JobId, recovery.ErrorKind, recovery.Dependency, recovery.IdempotencyKey,
                FailedAt = SqlTime.Format(recovery.FailedAt), RecoveryStatuses.Pending,
            },
            transaction, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public string FailedRunId { get; set; } = "";
        public string JobId { get; set; } = "";
        public string ErrorKind { get; set; } = "";
        public string Dependency { get; set; } = "";
        public string IdempotencyKey { get; set; } = "";
        public string FailedAt { get; set; } = "";
    }
}
