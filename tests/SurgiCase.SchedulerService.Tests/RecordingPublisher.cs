using System.Collections.Concurrent;
using System.Diagnostics;
using SurgiCase.Messaging;
using SurgiCase.Messaging.Contracts;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>Keeps what would have gone to SQS, with the trace it was published in.</summary>
public sealed class RecordingPublisher : IJobEventPublisher
{
    public ConcurrentQueue<(IJobEvent Event, string? TraceId)> Published { get; } = new();

    public Task<string> PublishAsync(IJobEvent jobEvent, CancellationToken cancellationToken = default)
    {
        Published.Enqueue((jobEvent, Activity.Current?.TraceId.ToHexString()));
        return Task.FromResult(Guid.NewGuid().ToString());
    }

    /// <summary>The outbox publishes just after the run's row is completed: polls (10 s deadline) for the run's first event.</summary>
    public async Task<IReadOnlyList<IJobEvent>> WaitForRunAsync(string runId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (ForRun(runId).Count == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No event was published for run {runId}.");
            }

            await Task.Delay(20);
        }

        return ForRun(runId);
    }

    public IReadOnlyList<IJobEvent> ForRun(string runId) => Published.Where(p => p.Event.RunId == runId).Select(p => p.Event).ToList();
}
