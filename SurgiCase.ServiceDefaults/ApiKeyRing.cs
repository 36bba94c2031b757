using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// The callers' API keys, held only as SHA-256 digests. A presented key is hashed once and compared with every
/// digest: all digests are 32 bytes, so neither the time taken nor an early length mismatch tells an attacker how long
/// a key is or which one nearly matched, and a heap dump shows no key. A caller may have several keys (rotation).
/// </summary>
public sealed class ApiKeyRing
{
    private readonly Entry[] _entries;

    public ApiKeyRing(IEnumerable<KeyValuePair<string, string>> callerKeys)
    {
        ArgumentNullException.ThrowIfNull(callerKeys);
        _entries = callerKeys
            .Where(pair => !string.IsNullOrEmpty(pair.Value))
            .Select(pair => Entry.For(pair.Key, pair.Value))
            .ToArray();
    }

    public static ApiKeyRing Empty { get; } = new([]);

    /// <summary>
    /// The keys under <c>Authentication:ApiKeys</c>: <c>{caller} = key</c>, and while a key is rotated any number of
    /// further keys below the caller (<c>{caller}:next = key</c>, or <c>{caller}:0</c>, <c>{caller}:1</c>…), all accepted.
    /// </summary>
    public static ApiKeyRing From(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new ApiKeyRing(section.GetChildren().SelectMany(caller =>
            caller.GetChildren().Select(child => child.Value).Prepend(caller.Value)
                .Select(key => KeyValuePair.Create(caller.Key, key ?? ""))));
    }

    /// <summary>How many keys the ring holds (a caller in rotation counts twice).</summary>
    public int Count => _entries.Length;

    public IReadOnlyCollection<string> Callers => _entries.Select(e => e.Caller).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The caller whose key this is, or null.</summary>
    public string? FindCaller(string presented) => Find(presented)?.Caller;

    /// <summary>The caller and the version of its key that <paramref name="presented"/> is, or null.</summary>
    public ApiKeyMatch? Find(string presented)
    {
        ArgumentNullException.ThrowIfNull(presented);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        Digest(presented, digest);
        Entry? match = null;
        foreach (var entry in _entries)
        {
            // No early exit: every digest is compared, so the time does not depend on where the match is.
            if (CryptographicOperations.FixedTimeEquals(digest, entry.Digest))
            {
                match = entry;
            }
        }

        return match is null ? null : new ApiKeyMatch(match.Caller, match.Version);
    }

    /// <summary>Whether <paramref name="caller"/> still has the key of <paramref name="version"/> (a session's key).</summary>
    public bool Holds(string caller, string version) =>
        _entries.Any(e => e.Caller == caller && string.Equals(e.Version, version, StringComparison.Ordinal));

    /// <summary>The SHA-256 digest a key is compared by; always <see cref="SHA256.HashSizeInBytes"/> long.</summary>
    public static byte[] Digest(string key)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        Digest(key, digest);
        return digest;
    }

    private static void Digest(string key, Span<byte> destination)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        try
        {
            SHA256.HashData(bytes, destination);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private sealed record Entry(string Caller, byte[] Digest, string Version)
    {
        private static readonly byte[] VersionLabel = "SurgiCase.ApiKeyVersion.v1"u8.ToArray();

        // The version names a key without revealing it: a hash of its digest under its own label, 8 bytes, hex.
        public static Entry For(string caller, string key)
        {
            var digest = ApiKeyRing.Digest(key);
            var version = Convert.ToHexStringLower(SHA256.HashData([.. VersionLabel, .. digest]).AsSpan(0, 8));
            return new Entry(caller, digest, version);
        }
    }
}

/// <summary>A key found in the ring: whose it is, and which of the caller's keys (it changes when the key is rotated).</summary>
public sealed record ApiKeyMatch(string Caller, string Version);
