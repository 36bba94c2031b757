namespace SurgiCase.ApiSimulator.Reports;

/// <summary>
/// The results of report calls by <c>Idempotency-Key</c>, as the real API keeps them: a key is claimed while its request
/// runs, and only a successful result is kept (a failed attempt did no work, so its retry must do it). The newest
/// <see cref="Capacity"/> keys are kept, each for <see cref="Lifetime"/>.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider timeProvider)
{
    public const int Capacity = 1000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Claims <paramref name="key"/> for a request on <paramref name="path"/>, or says why it cannot be run.</summary>
    public Claim TryClaim(string key, string path)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            if (_entries.TryGetValue(key, out var entry) && entry.StoredAt + Lifetime > now)
            {
                return !string.Equals(entry.Path, path, StringComparison.Ordinal) ? new Claim(ClaimStatus.OtherRequest, null)
                    : entry.Result is null ? new Claim(ClaimStatus.InProgress, null)
                    : new Claim(ClaimStatus.Completed, entry.Result);
            }

            _entries[key] = new Entry(path, null, now);
            _order.Enqueue(key);
            while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                if (!string.Equals(oldest, key, StringComparison.Ordinal) && _entries.TryGetValue(oldest, out var old) && old.Result is not null)
                {
                    _entries.Remove(oldest);
                }
            }

            return new Claim(ClaimStatus.Claimed, null);
        }
    }

    /// <summary>Keeps a successful result for the key's repeats; a failure releases the key so a retry does the work.</summary>
    public void Complete(string key, object? result, bool succeeded)
    {
        lock (_gate)
        {
            if (succeeded)
            {
                _entries[key] = _entries[key] with { Result = result ?? Results.Ok(), StoredAt = timeProvider.GetUtcNow() };
            }
            else
            {
                _entries.Remove(key);
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _order.Clear();
        }
    }

    private sealed record Entry(string Path, object? Result, DateTimeOffset StoredAt);
}

internal enum ClaimStatus
{
    Claimed,
    Completed,
    InProgress,
    OtherRequest,
}

internal sealed record Claim(ClaimStatus Status, object? Result);
