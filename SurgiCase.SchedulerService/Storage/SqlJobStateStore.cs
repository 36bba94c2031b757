using System.Data.Common;
using Dapper;
using SurgiCase.Storage;
using SurgiCase.Messaging.Outbox;

namespace SurgiCase.SchedulerService.Storage;

internal sealed class SqlJobStateStore(SqlDatabase database) : IJobStateStore
{
    private const string Columns = "job_id AS JobId, paused AS Paused, paused_by AS PausedBy, paused_at AS PausedAt, " +
        "watch_since AS WatchSince, last_scheduled_fire AS LastScheduledFire, missed_alerted_fire AS MissedAlertedFire";

    public async Task<JobState> EnsureTrackedAsync(string jobId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, null, jobId, now, cancellationToken);
        return (await GetAsync(connection, jobId, cancellationToken))!;
    }

    private static Task EnsureRowAsync(DbConnection connection, DbTransaction? transaction, string jobId, DateTimeOffset now, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO job_state (job_id, paused, watch_since, last_scheduled_fire) VALUES (@JobId, 0, @Now, @Now)
            ON CONFLICT (job_id) DO NOTHING
            """,
            new { JobId = jobId, Now = SqlTime.Format(now) }, transaction, cancellationToken: cancellationToken));

    public async Task<JobState?> GetAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await GetAsync(connection, jobId, cancellationToken);
    }

    private static async Task<JobState?> GetAsync(DbConnection connection, string jobId, CancellationToken cancellationToken)
    {
        var row = await connection.QuerySingleOrDefaultAsync<StateRow>(new CommandDefinition(
            $"SELECT {Columns} FROM job_state WHERE job_id = @JobId", new { JobId = jobId }, cancellationToken: cancellationToken));
        return row?.ToState();
    }

    public async Task<IReadOnlyDictionary<string, JobState>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<StateRow>(new CommandDefinition($"SELECT {Columns} FROM job_state", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToState()).ToDictionary(s => s.JobId, StringComparer.Ordinal);
    }

    public async Task<bool> SetPausedAsync(string jobId, bool paused, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await EnsureRowAsync(connection, transaction, jobId, at, cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            paused
                ? "UPDATE job_state SET paused = 1, paused_by = @Actor, paused_at = @At WHERE job_id = @JobId AND paused = 0"
                : "UPDATE job_state SET paused = 0, paused_by = NULL, paused_at = NULL WHERE job_id = @JobId AND paused = 1",
            new { JobId = jobId, Actor = actor, At = SqlTime.Format(at) }, transaction, cancellationToken: cancellationToken));
        if (changed == 1)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO job_actions (action_id, job_id, action, actor, at) VALUES (@Id, @JobId, @Action, @Actor, @At)",
                new { Id = Guid.NewGuid().ToString("N"), JobId = jobId, Action = paused ? JobActions.Pause : JobActions.Resume, Actor = actor, At = SqlTime.Format(at) },
                transaction, cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public async Task<IReadOnlyList<JobAction>> ListActionsAsync(string jobId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ActionRow>(new CommandDefinition(
            "SELECT action_id AS ActionId, job_id AS JobId, action AS Action, actor AS Actor, at AS At FROM job_actions " +
            $"WHERE job_id = @JobId ORDER BY at DESC, {database.Dialect.InsertionOrder} DESC LIMIT @Limit",
            new { JobId = jobId, Limit = (long)limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new JobAction(r.ActionId, r.JobId, r.Action, r.Actor, SqlTime.Parse(r.At)!.Value)).ToList();
    }

    public async Task RecordScheduledFireAsync(string jobId, DateTimeOffset fireTime, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await EnsureRowAsync(connection, null, jobId, fireTime, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE job_state SET last_scheduled_fire = @Fire
            WHERE job_id = @JobId AND (last_scheduled_fire IS NULL OR last_scheduled_fire < @Fire)
            """,
            new { JobId = jobId, Fire = SqlTime.Format(fireTime) }, cancellationToken: cancellationToken));
    }

    public async Task<bool> TryClaimCatchUpAsync(string jobId, DateTimeOffset? expectedLastFire, DateTimeOffset missedFire, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var won = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE job_state SET last_scheduled_fire = @Missed
            WHERE job_id = @JobId AND (last_scheduled_fire = @Expected OR (last_scheduled_fire IS NULL AND @Expected IS NULL))
            """,
            new { JobId = jobId, Missed = SqlTime.Format(missedFire), Expected = SqlTime.Format(expectedLastFire) },
            cancellationToken: cancellationToken));
        return won == 1;
    }

    public async Task<bool> TryRecordMissedRunAsync(
        string jobId, DateTimeOffset? expectedAlerted, DateTimeOffset fireTime, RunRecord run, OutboxMessage jobFailed,
        CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var won = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE job_state SET missed_alerted_fire = @Fire
            WHERE job_id = @JobId AND (missed_alerted_fire = @Expected OR (missed_alerted_fire IS NULL AND @Expected IS NULL))
            """,
            new { JobId = jobId, Fire = SqlTime.Format(fireTime), Expected = SqlTime.Format(expectedAlerted) },
            transaction, cancellationToken: cancellationToken));
        if (won != 1)
        {
            await transaction.RollbackAsync(cancellationToken);
            return false;
        }

        await SqlRunStore.InsertAsync(connection, transaction, run, cancellationToken);
        await SqlOutboxStore.InsertAsync(connection, transaction, jobFailed, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private sealed class StateRow
    {
        public string JobId { get; set; } = "";
        public long Paused { get; set; }
        public string? PausedBy { get; set; }
        public string? PausedAt { get; set; }
        public string WatchSince { get; set; } = "";
        public string? LastScheduledFire { get; set; }
        public string? MissedAlertedFire { get; set; }

        public JobState ToState() => new(JobId, Paused != 0, PausedBy, SqlTime.Parse(PausedAt), SqlTime.Parse(WatchSince)!.Value,
            SqlTime.Parse(LastScheduledFire), SqlTime.Parse(MissedAlertedFire));
    }

    private sealed class ActionRow
    {
        public string ActionId { get; set; } = "";
        public string JobId { get; set; } = "";
        public string Action { get; set; } = "";
        public string Actor { get; set; } = "";
        public string At { get; set; } = "";
    }
}
