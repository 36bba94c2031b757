using System.Diagnostics;
using System.Threading.Channels;
using SurgiCase.SchedulerService.Jobs;
using SurgiCase.SchedulerService.Storage;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>
/// Manual runs waiting for <see cref="RunWorker"/>. The run is in the history as <c>queued</c> before the
/// caller gets its id, so <c>GET /runs/{runId}</c> answers at once.
/// </summary>
internal sealed class RunQueue(IRunStore store, TimeProvider timeProvider)
{
    private readonly Channel<RunRequest> _channel = Channel.CreateBounded<RunRequest>(
        new BoundedChannelOptions(256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<RunRequest> Reader => _channel.Reader;

    /// <param name="fireTime">The fire time a catch-up run stands for.</param>
    /// <returns>The queued run, or null when too many runs are already waiting.</returns>
    public async Task<RunRecord?> EnqueueAsync(
        JobDefinition job, string trigger, string? requestedBy, CancellationToken cancellationToken, DateTimeOffset? fireTime = null)
    {
        var run = RunRecord.NewQueued(job.Id, trigger, requestedBy, timeProvider.GetUtcNow());
        await store.CreateAsync(run, cancellationToken);
        var request = new RunRequest(run.RunId, job.Id, trigger, requestedBy, Activity.Current?.Context ?? default, fireTime);
        return await TryEnqueueStoredAsync(request) ? run : null;
    }

    /// <summary>Queues a run already stored as <c>queued</c> (e.g. a claimed recovery run); false, and the run failed, when too many wait.</summary>
    public async Task<bool> TryEnqueueStoredAsync(RunRequest request)
    {
        if (_channel.Writer.TryWrite(request))
        {
            return true;
        }

        await store.CompleteAsync(request.RunId, new RunCompletion(timeProvider.GetUtcNow(), RunOutcomes.Failed, 0,
            Messaging.Contracts.ErrorKinds.Unexpected, "Not run: too many runs were waiting"), CancellationToken.None);
        return false;
    }
}
