using System.Collections.Concurrent;

namespace SurgiCase.SecretsClient;

/// <summary>This process's last value per secret, held for the life of the process (typed clients are transient).</summary>
internal sealed class LastKnownGoodSecrets
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public void Remember(SecretLookup lookup, DateTimeOffset receivedAt) => _entries[lookup.Name] = new Entry(lookup, receivedAt);

    public bool TryGet(string name, out SecretLookup lookup, out DateTimeOffset receivedAt)
    {
        if (_entries.TryGetValue(name, out var entry))
        {
            (lookup, receivedAt) = (entry.Lookup, entry.ReceivedAt);
            return true;
        }

        (lookup, receivedAt) = (null!, default);
        return false;
    }

    private sealed record Entry(SecretLookup Lookup, DateTimeOffset ReceivedAt);
}
