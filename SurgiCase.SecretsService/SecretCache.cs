using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;

namespace SurgiCase.SecretsService;

/// <summary>
/// The seed's <c>get_secret(secret_name, cache_ttl=3600, allow_stale=True)</c>, done properly: values younger than their
/// (jittered) TTL come from memory; older ones are fetched once for all concurrent callers; a transient AWS failure
/// serves the last value as stale, a definitive one is reported as it is. A name gets a slot only when it is
/// configured (warmed), restored from the snapshot or fetched successfully: a lookup of an unknown name fetches into a
/// slot held only while the fetch runs, and "not found" is remembered briefly (<see cref="NotFoundCache"/>), so a flood
/// of names that do not exist leaves nothing behind and reaches AWS once per name and window.
/// </summary>
internal sealed partial class SecretCache : IDisposable
{
    public const string UnexpectedErrorCode = "UnexpectedError";

    private readonly ConcurrentDictionary<string, SecretSlot> _slots = new(StringComparer.Ordinal);

    // First lookups of names without a slot, while their fetch runs (so concurrent ones share it): as many as requests in flight.
    private readonly ConcurrentDictionary<string, SecretSlot> _firstFetches = new(StringComparer.Ordinal);
    private readonly NotFoundCache _notFound;
    private readonly ISecretsManagerClient _aws;
    private readonly AwsCircuitBreaker _breaker;
    private readonly SecretsMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly HitClock _hitClock;
    private readonly SecretsOptions _options;
    private readonly ILogger<SecretCache> _logger;

    public SecretCache(
        ISecretsManagerClient aws,
        AwsCircuitBreaker breaker,
        SecretsMetrics metrics,
        TimeProvider time,
        IOptions<SecretsOptions> options,
        ILogger<SecretCache> logger)
    {
        _aws = aws;
        _breaker = breaker;
        _metrics = metrics;
        _time = time;
        _hitClock = new HitClock(time);
        _options = options.Value;
        _notFound = new NotFoundCache(_options.NotFoundCacheDuration, _options.NotFoundCacheSize, time);
        _logger = logger;
        metrics.Meter.CreateObservableGauge("surgicase.secrets.breaker_state", () => (int)_breaker.State, description: "0 closed, 1 half-open, 2 open.");
        metrics.Meter.CreateObservableGauge("surgicase.secrets.oldest_stale_age", () => OldestStaleAge().TotalSeconds, "s", "Age of the oldest value being served stale.");
    }

    /// <summary>Raised after a value was fetched from AWS, e.g. to update the snapshot.</summary>
    public event Action? Refreshed;

    public IEnumerable<SecretSlot> Slots => _slots.Values;

    /// <summary>Names remembered as not found (bounded by <c>Secrets:NotFoundCacheSize</c>).</summary>
    public int NotFoundCount => _notFound.Count;

    public ValueTask<SecretLookupResult> GetAsync(string name, bool allowStale, TimeSpan? maxStaleness, CancellationToken cancellationToken)
    {
        _slots.TryGetValue(name, out var slot);
        if (slot?.Current is { } current)
        {
            var now = _hitClock.UtcTicks;
            if (now < current.ExpiresAt.UtcTicks)
            {
                _metrics.Lookup(SourceNames.Cached);
                var age = Math.Max(0, (now - current.FetchedAt.UtcTicks) / TimeSpan.TicksPerSecond);
                return new ValueTask<SecretLookupResult>(new SecretLookupResult(current, SecretSource.Cached, age, null, true));
            }
        }

        if (_notFound.Contains(name))
        {
            _metrics.Lookup("not-found-cached");
            var notFound = new SecretFetchError(NotFoundCache.ErrorCode, 404, false, false);
            return new ValueTask<SecretLookupResult>(new SecretLookupResult(null, SecretSource.Fresh, 0, notFound, slot?.Current is not null));
        }

        return slot is null
            ? FirstLookupAsync(name, allowStale, maxStaleness, cancellationToken)
            : RefreshAndAnswerAsync(slot, allowStale, maxStaleness, cancellationToken);
    }

    /// <summary>A name without a slot: fetched into a slot of its own that is kept only if the fetch succeeds (<see cref="Store"/>).</summary>
    private async ValueTask<SecretLookupResult> FirstLookupAsync(string name, bool allowStale, TimeSpan? maxStaleness, CancellationToken cancellationToken)
    {
        var slot = _firstFetches.GetOrAdd(name, static n => new SecretSlot(n));
        try
        {
            return await RefreshAndAnswerAsync(slot, allowStale, maxStaleness, cancellationToken);
        }
        finally
        {
            _firstFetches.TryRemove(new KeyValuePair<string, SecretSlot>(name, slot));
        }
    }

    /// <summary>
    /// Fetches the secret now, joining a fetch already in flight. Used by warming, which passes
    /// <paramref name="bypassBreaker"/> when the breaker was closed as its run began: failures of some secrets in the
    /// run must not stop the others from being tried, or a partial failure would be reported as a total one.
    /// </summary>
    public Task<FetchOutcome> RefreshAsync(string name, bool bypassBreaker, CancellationToken cancellationToken) =>
        JoinOrStartFetchAsync(_slots.GetOrAdd(name, static n => new SecretSlot(n)), bypassBreaker, cancellationToken);

    /// <summary>Puts a value read from the snapshot in memory, already expired so the first lookup tries AWS.</summary>
    public void Restore(string name, string? value, string versionId, DateTimeOffset fetchedAt)
    {
        var slot = _slots.GetOrAdd(name, static n => new SecretSlot(n));
        if (slot.Current is null)
        {
            slot.Current = new CachedSecret(name, value, versionId, fetchedAt, fetchedAt);
            slot.LastOutcome = SlotOutcomes.Restored;
        }
    }

    public TimeSpan OldestStaleAge()
    {
        var now = _time.GetUtcNow();
        var oldest = TimeSpan.Zero;
        foreach (var slot in _slots.Values)
        {
            if (slot.ServingStale && slot.Current is { } current && now - current.FetchedAt > oldest)
            {
                oldest = now - current.FetchedAt;
            }
        }

        return oldest;
    }

    private async ValueTask<SecretLookupResult> RefreshAndAnswerAsync(SecretSlot slot, bool allowStale, TimeSpan? maxStaleness, CancellationToken cancellationToken)
    {
        var outcome = await JoinOrStartFetchAsync(slot, bypassBreaker: false, cancellationToken);
        var now = _time.GetUtcNow();
        if (outcome.Secret is { } fresh)
        {
            _metrics.Lookup(SourceNames.Fresh);
            return new SecretLookupResult(fresh, SecretSource.Fresh, AgeSeconds(fresh, now), null, true);
        }

        var error = outcome.Error!;
        var last = slot.Current;
        if (error.IsTransient && allowStale && last is not null)
        {
            var limit = maxStaleness ?? _options.MaxStaleness;
            if (limit is null || now - last.FetchedAt <= limit)
            {
                slot.NoteServingStale(now);
                var age = AgeSeconds(last, now);
                SecretsLog.ServingStale(_logger, error.ErrorCode, slot.Name, age);
                _metrics.Lookup(SourceNames.Stale);
                return new SecretLookupResult(last, SecretSource.Stale, age, null, true);
            }
        }

        if (error.IsTransient)
        {
            SecretsLog.NoCachedValue(_logger, error.ErrorCode, slot.Name);
        }

        _metrics.Lookup("error");
        return new SecretLookupResult(null, SecretSource.Fresh, 0, error, last is not null);
    }

    public void Dispose() => _hitClock.Dispose();

    private static long AgeSeconds(CachedSecret secret, DateTimeOffset now) =>
        Math.Max(0, (long)(now - secret.FetchedAt).TotalSeconds);
}
