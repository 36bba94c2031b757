namespace SurgiCase.ApiSimulator.Faults;

/// <summary>The fault currently switched on. One per process; requests read it concurrently.</summary>
internal sealed class FaultState
{
    private readonly Lock _gate = new();
    private FaultSettings? _current;
    private int? _remaining;

    public FaultSettings? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public void Set(FaultSettings settings)
    {
        lock (_gate)
        {
            _current = settings.Mode == FaultModes.Ok ? null : settings;
            _remaining = settings.Times;
        }
    }

    public void Clear() => Set(new FaultSettings());

    /// <summary>The fault to apply to a request on <paramref name="path"/>, counting it against <c>times</c>.</summary>
    public FaultSettings? TakeFor(PathString path)
    {
        lock (_gate)
        {
            if (_current is null)
            {
                return null;
            }

            if (!string.IsNullOrEmpty(_current.Path) && !path.StartsWithSegments(_current.Path, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var fault = _current;
            if (_remaining is not null && --_remaining <= 0)
            {
                _current = null;
                _remaining = null;
            }

            return fault;
        }
    }
}
