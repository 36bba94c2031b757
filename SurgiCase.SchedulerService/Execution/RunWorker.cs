using Microsoft.Extensions.Options;
using SurgiCase.SchedulerService.Jobs;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>Executes queued runs with bounded concurrency, owned by the host so shutdown waits for them.</summary>
internal sealed class RunWorker(
    RunQueue queue,
    JobCatalog catalog,
    JobRunner runner,
    IOptions<SchedulerOptions> options,
    ILogger<RunWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrentRuns, CancellationToken = stoppingToken },
            async (request, cancellationToken) =>
            {
                var job = catalog.Find(request.JobId);
                if (job is null)
                {
                    return;
                }

                try
                {
                    await runner.RunAsync(job.Definition, request, cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One broken run must not stop the worker for every later run.
                    SchedulerLog.RunCrashed(logger, e, request.JobId, request.RunId);
                }
            });
}
