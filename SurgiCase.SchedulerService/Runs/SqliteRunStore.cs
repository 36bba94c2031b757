using System.Globalization;
using Dapper;

namespace SurgiCase.SchedulerService.Runs;

internal sealed class SqliteRunStore(SqliteDatabase database) : IRunStore
{
    private const string Columns = "run_id AS RunId, job_id AS JobId, trigger AS Trigger, requested_by AS RequestedBy, " +
        "queued_at AS QueuedAt, started_at AS StartedAt, finished_at AS FinishedAt, outcome AS Outcome, attempts AS Attempts, " +
        "error_kind AS ErrorKind, error_message AS ErrorMessage, trace_id AS TraceId";

    public async Task CreateAsync(RunRecord run, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO runs (run_id, job_id, trigger, requested_by, queued_at, started_at, finished_at, outcome, attempts, error_kind, error_message, trace_id)
            VALUES (@RunId, @JobId, @Trigger, @RequestedBy, @QueuedAt, @StartedAt, @FinishedAt, @Outcome, @Attempts, @ErrorKind, @ErrorMessage, @TraceId)
            """,
            new
            {
                run.RunId, run.JobId, run.Trigger, run.RequestedBy,
                QueuedAt = Format(run.QueuedAt), StartedAt = Format(run.StartedAt), FinishedAt = Format(run.FinishedAt),
                run.Outcome, run.Attempts, run.ErrorKind, run.ErrorMessage, run.TraceId,
            },
            cancellationToken: cancellationToken));
    }

    public async Task MarkStartedAsync(string runId, DateTimeOffset startedAt, string? traceId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE runs SET started_at = @StartedAt, outcome = @Outcome, trace_id = @TraceId WHERE run_id = @RunId",
            new { RunId = runId, StartedAt = Format(startedAt), Outcome = RunOutcomes.Running, TraceId = traceId },
            cancellationToken: cancellationToken));
    }

    public async Task CompleteAsync(string runId, RunCompletion completion, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE runs SET finished_at = @FinishedAt, outcome = @Outcome, attempts = @Attempts,
                            error_kind = @ErrorKind, error_message = @ErrorMessage
            WHERE run_id = @RunId
            """,
            new
            {
                RunId = runId, FinishedAt = Format(completion.FinishedAt), completion.Outcome, completion.Attempts,
                completion.ErrorKind, completion.ErrorMessage,
            },
            cancellationToken: cancellationToken));
    }

    public async Task<RunRecord?> GetAsync(string runId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RunRow>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE run_id = @RunId", new { RunId = runId }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<IReadOnlyList<RunRecord>> ListForJobAsync(string jobId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
            $"SELECT {Columns} FROM runs WHERE job_id = @JobId ORDER BY queued_at DESC, rowid DESC LIMIT @Limit",
            new { JobId = jobId, Limit = limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<IReadOnlyList<RunRecord>> FailuresSinceLastSuccessAsync(string jobId, string excludingRunId, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RunRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM runs
            WHERE job_id = @JobId AND run_id <> @Excluding AND outcome = @Failed
              AND finished_at > COALESCE((SELECT MAX(finished_at) FROM runs
                                          WHERE job_id = @JobId AND run_id <> @Excluding AND outcome IN (@Succeeded, @Partial)), '')
            ORDER BY finished_at DESC
            """,
            new { JobId = jobId, Excluding = excludingRunId, RunOutcomes.Failed, RunOutcomes.Succeeded, RunOutcomes.Partial },
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    // ISO-8601 UTC with fixed width, so text order is time order in SQL.
    private static string? Format(DateTimeOffset? instant) =>
        instant?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Parse(string? text) =>
        text is null ? null : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private sealed record RunRow(
        string RunId, string JobId, string Trigger, string? RequestedBy, string QueuedAt, string? StartedAt, string? FinishedAt,
        string Outcome, long Attempts, string? ErrorKind, string? ErrorMessage, string? TraceId)
    {
        public RunRecord ToRecord() => new(
            RunId, JobId, Trigger, RequestedBy, Parse(QueuedAt)!.Value, Parse(StartedAt), Parse(FinishedAt),
            Outcome, (int)Attempts, ErrorKind, ErrorMessage, TraceId);
    }
}
