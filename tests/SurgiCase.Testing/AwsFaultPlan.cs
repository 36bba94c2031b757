using System.Collections.Concurrent;

namespace SurgiCase.Testing;

/// <summary>
/// What the fault handler does, shared by every handler instance a client factory builds: a fault for every call, for
/// one secret, or for the next N calls only; it records and counts the calls it sees.
/// </summary>
public sealed class AwsFaultPlan
{
    private readonly ConcurrentDictionary<string, AwsFault> _perSecret = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AwsRequest> _requests = new();
    private int _calls;
    private int _timesLeft = -1;

    /// <summary>Applies to every call without a fault of its own.</summary>
    public AwsFault? All { get; set; }

    /// <summary>When set, each call waits for it before going on (to hold a call in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completed when the first call arrives.</summary>
    public TaskCompletionSource Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);

    public IReadOnlyList<AwsRequest> Requests => _requests.ToArray();

    public static AwsFaultPlan Always(AwsFault fault) => new() { All = fault };

    /// <summary>The first <paramref name="times"/> calls fail with <paramref name="fault"/>; later ones go through.</summary>
    public static AwsFaultPlan FirstCalls(int times, AwsFault fault)
    {
        var plan = new AwsFaultPlan { All = fault };
        plan._timesLeft = times;
        return plan;
    }

    public void Fail(string secretName, AwsFault fault) => _perSecret[secretName] = fault;

    public void ResetCalls() => Interlocked.Exchange(ref _calls, 0);

    public void Heal()
    {
        All = null;
        _perSecret.Clear();
    }

    /// <summary>A new handler for the client factory's pipeline (it builds one per pipeline).</summary>
    public DelegatingHandler CreateHandler() => new AwsFaultHandler(this);

    internal AwsFault? Record(AwsRequest request)
    {
        Interlocked.Increment(ref _calls);
        _requests.Enqueue(request);
        Reached.TrySetResult();
        if (_perSecret.TryGetValue(request.SecretId, out var own))
        {
            return own;
        }

        if (All is null)
        {
            return null;
        }

        // Counted only when limited; -1 means every call.
        return Volatile.Read(ref _timesLeft) < 0 || Interlocked.Decrement(ref _timesLeft) >= 0 ? All : null;
    }
}
