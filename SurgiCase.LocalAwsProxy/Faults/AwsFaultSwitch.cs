using System.Collections.Concurrent;

namespace SurgiCase.LocalAwsProxy.Faults;

/// <summary>The faults in force, one per service, plus counters of what they answered.</summary>
internal sealed class AwsFaultSwitch
{
    private readonly ConcurrentDictionary<string, AwsFault> _faults = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _injected = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, long> _forwarded = new(StringComparer.OrdinalIgnoreCase);

    public void Set(AwsFault fault) => _faults[fault.Service] = fault;

    public void Clear(string? service)
    {
        if (service is null)
        {
            _faults.Clear();
        }
        else
        {
            _faults.TryRemove(service, out _);
        }
    }

    public IReadOnlyCollection<AwsFault> Active => _faults.Values.ToArray();

    public AwsFault? Match(string service, string? target)
    {
        var fault = _faults.GetValueOrDefault(service) ?? _faults.GetValueOrDefault("*");
        if (fault is null)
        {
            return null;
        }

        return fault.Action is null || (target?.EndsWith("." + fault.Action, StringComparison.Ordinal) ?? false)
            ? fault
            : null;
    }

    public void CountInjected(string service) => _injected.AddOrUpdate(service, 1, (_, n) => n + 1);

    public void CountForwarded(string service) => _forwarded.AddOrUpdate(service, 1, (_, n) => n + 1);

    public object Snapshot() => new
    {
        faults = Active,
        injected = _injected.ToDictionary(),
        forwarded = _forwarded.ToDictionary(),
    };
}
