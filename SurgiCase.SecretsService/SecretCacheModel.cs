namespace SurgiCase.SecretsService;

/// <summary>How a lookup was answered; the wire form is lower case.</summary>
internal enum SecretSource
{
    /// <summary>Fetched from AWS for this lookup.</summary>
    Fresh,

    /// <summary>From memory, younger than its TTL.</summary>
    Cached,

    /// <summary>From memory past its TTL, because AWS failed transiently.</summary>
    Stale,
}

/// <summary>
/// One value as AWS returned it. Not a record, so no generated ToString can print <see cref="Value"/>.
/// </summary>
internal sealed class CachedSecret(string name, string? value, string versionId, DateTimeOffset fetchedAt, DateTimeOffset expiresAt)
{
    public string Name { get; } = name;

    public string? Value { get; } = value;

    public string VersionId { get; } = versionId;

    public DateTimeOffset FetchedAt { get; } = fetchedAt;

    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public override string ToString() => $"{Name} (version {VersionId}, value redacted)";
}

/// <summary>Why AWS gave no value. Carries the AWS error code, never a value.</summary>
internal sealed record SecretFetchError(string ErrorCode, int AwsStatusCode, bool IsTransient, bool BreakerOpen);

/// <summary>The result of one AWS fetch: a value or an error.</summary>
internal readonly record struct FetchOutcome(CachedSecret? Secret, SecretFetchError? Error);

/// <summary>The answer to a lookup: a value with its source, or the error that left the caller without one.</summary>
internal readonly record struct SecretLookupResult(CachedSecret? Secret, SecretSource Source, long AgeSeconds, SecretFetchError? Error, bool HadCachedValue)
{
    public bool Succeeded => Secret is not null;
}

/// <summary>Per-name state: the current value, the refresh in flight (single flight) and the last outcome for /cache.</summary>
internal sealed class SecretSlot(string name)
{
    public string Name { get; } = name;

    public Lock Gate { get; } = new();

    private volatile CachedSecret? _current;

    public CachedSecret? Current
    {
        get => _current;
        set => _current = value;
    }

    /// <summary>The refresh every concurrent lookup joins; guarded by <see cref="Gate"/>.</summary>
    public Task<FetchOutcome>? InFlight { get; set; }

    public volatile bool ServingStale;

    private long _staleSinceTicks;

    /// <summary>Since when lookups of this slot are answered stale; null while it is fresh (a successful fetch clears <see cref="ServingStale"/>).</summary>
    public DateTimeOffset? StaleSince => ServingStale ? new DateTimeOffset(Interlocked.Read(ref _staleSinceTicks), TimeSpan.Zero) : null;

    /// <summary>A lookup was answered stale: the first one of a stale spell sets <see cref="StaleSince"/> (the stale-secrets alert counts from it).</summary>
    public void NoteServingStale(DateTimeOffset now)
    {
        if (!ServingStale)
        {
            Interlocked.Exchange(ref _staleSinceTicks, now.UtcTicks);
        }

        ServingStale = true;
    }

    public string LastOutcome { get; set; } = SlotOutcomes.None;

    public string? LastErrorCode { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
}

internal static class SlotOutcomes
{
    public const string None = "none";
    public const string Refreshed = "refreshed";
    public const string Restored = "restored-from-snapshot";
    public const string TransientError = "transient-error";
    public const string DefinitiveError = "definitive-error";
    public const string BreakerOpen = "breaker-open";
}
