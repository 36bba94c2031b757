namespace SurgiCase.SecretsService;

/// <summary>
/// Names AWS recently answered <c>ResourceNotFoundException</c> for, each remembered for a fixed time and at most
/// <c>capacity</c> of them (the oldest goes first), so a flood of lookups of names that do not exist neither grows
/// memory nor reaches AWS more than once per name and window. A secret created meanwhile is found once its entry expires.
/// </summary>
internal sealed class NotFoundCache(TimeSpan duration, int capacity, TimeProvider time)
{
    public const string ErrorCode = "ResourceNotFoundException";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);

    // With one duration for all, insertion order is expiry order: the head is both the oldest and the first to expire.
    private readonly LinkedList<Entry> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public bool Contains(string name)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(name, out var node))
            {
                return false;
            }

            if (node.Value.ExpiresAt > time.GetUtcNow())
            {
                return true;
            }

            Remove(node);
            return false;
        }
    }

    public void Add(string name)
    {
        if (duration <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_entries.TryGetValue(name, out var existing))
            {
                Remove(existing);
            }

            _entries[name] = _order.AddLast(new Entry(name, now + duration));
            while (_order.First is { } oldest && (_entries.Count > capacity || oldest.Value.ExpiresAt <= now))
            {
                Remove(oldest);
            }
        }
    }

    public void Forget(string name)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(name, out var node))
            {
                Remove(node);
            }
        }
    }

    private void Remove(LinkedListNode<Entry> node)
    {
        _entries.Remove(node.Value.Name);
        _order.Remove(node);
    }

    private sealed record Entry(string Name, DateTimeOffset ExpiresAt);
}
