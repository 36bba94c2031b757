namespace SurgiCase.SecretsService;

/// <summary>
/// "Now" for the cache-hit path. Reading the system clock costs ~30 ns here (a clock read plus DateTime's leap-second
/// handling), twice the rest of a hit; with the system clock a timer stores the time every
/// <see cref="Resolution"/> and a hit reads that field. TTLs are minutes and ages whole seconds, so a quarter second
/// does not matter. Any other TimeProvider (tests) is read exactly on every call.
/// </summary>
internal sealed class HitClock : IDisposable
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly ITimer? _timer;
    private long _utcTicks;

    public HitClock(TimeProvider time)
    {
        _time = time;
        _utcTicks = time.GetUtcNow().UtcTicks;
        if (ReferenceEquals(time, TimeProvider.System))
        {
            _timer = time.CreateTimer(static state => ((HitClock)state!).Exact(), this, Resolution, Resolution);
        }
    }

    /// <summary>UTC ticks: a hit compares and subtracts integers, no DateTimeOffset arithmetic.</summary>
    public long UtcTicks => _timer is null ? _time.GetUtcNow().UtcTicks : Volatile.Read(ref _utcTicks);

    /// <summary>The exact time, which also refreshes the stored one; for the slow paths.</summary>
    public DateTimeOffset Exact()
    {
        var now = _time.GetUtcNow();
        Volatile.Write(ref _utcTicks, now.UtcTicks);
        return now;
    }

    public void Dispose() => _timer?.Dispose();
}
