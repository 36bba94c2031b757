using System.Collections.Concurrent;

namespace SurgiCase.ApiSimulator.Reports;

/// <summary>One report call the simulator received; whether an API key was sent (never the key itself), and its <c>Idempotency-Key</c>.</summary>
public sealed record ReceivedRequest(string Method, string Path, bool HadApiKey, DateTimeOffset At, string? IdempotencyKey = null);

/// <summary>The most recent report calls, so a test or an operator can see what a job actually sent.</summary>
internal sealed class RequestLog
{
    private const int Capacity = 200;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();

    public void Add(ReceivedRequest request)
    {
        _requests.Enqueue(request);
        while (_requests.Count > Capacity && _requests.TryDequeue(out _))
        {
        }
    }

    public IReadOnlyList<ReceivedRequest> Snapshot() => _requests.ToArray();

    public void Clear() => _requests.Clear();
}
