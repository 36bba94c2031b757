using Dapper;
using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.Storage;
using SurgiCase.Storage.Retention;

namespace SurgiCase.SchedulerService.Storage;

/// <summary>Deletes operators' pause and resume records (<c>job_actions</c>) older than <c>Scheduler:JobActionRetention</c>.</summary>
internal sealed class JobActionRetentionStep(SqlDatabase database, IOptions<SchedulerOptions> options) : IRetentionStep
{
    public string Name => "job-actions";

    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM job_actions WHERE at < @Before",
            new { Before = SqlTime.Format(now - options.Value.JobActionRetention) }, cancellationToken: cancellationToken));
    }
}
