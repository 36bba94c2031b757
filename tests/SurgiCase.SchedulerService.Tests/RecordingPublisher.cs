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

    public IReadOnlyList<IJobEvent> ForRun(string runId) => Published.Where(p => p.Event.RunId == runId).Select(p => p.Event).ToList();
}
