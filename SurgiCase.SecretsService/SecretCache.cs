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
internal sealed class SecretCache : IDisposable
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

    private async Task<FetchOutcome> JoinOrStartFetchAsync(SecretSlot slot, bool bypassBreaker, CancellationToken cancellationToken)
    {
        TaskCompletionSource<FetchOutcome>? leader = null;
        Task<FetchOutcome>? running;
        lock (slot.Gate)
        {
            running = slot.InFlight;
            if (running is null)
            {
                leader = new TaskCompletionSource<FetchOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                slot.InFlight = leader.Task;
            }
        }

        if (leader is null)
        {
            _metrics.JoinedFetch();
            return await running!.WaitAsync(cancellationToken);
        }

        // The leader's fetch is shared, so it does not stop when the leader's own request is cancelled;
        // the AWS client's request timeout bounds it.
        // Only if FetchAsync itself broke: transient, so waiters keep their stale value rather than an error.
        var outcome = new FetchOutcome(null, new SecretFetchError(UnexpectedErrorCode, 0, true, false));
        try
        {
            outcome = await FetchAsync(slot, bypassBreaker);
        }
        finally
        {
            lock (slot.Gate)
            {
                slot.InFlight = null;
            }

            leader.SetResult(outcome);
        }

        return outcome;
    }

    private async Task<FetchOutcome> FetchAsync(SecretSlot slot, bool bypassBreaker)
    {
        slot.LastAttemptAt = _time.GetUtcNow();
        if (await _breaker.ExecuteAsync(() => CallAwsAsync(slot), bypassBreaker) is { } outcome)
        {
            return outcome;
        }

        _metrics.AwsCall("skipped-breaker-open");
        slot.LastOutcome = SlotOutcomes.BreakerOpen;
        var code = _breaker.LastErrorCode ?? "CircuitOpen";
        slot.LastErrorCode = code;
        return new FetchOutcome(null, new SecretFetchError(code, 0, true, true));
    }

    private async Task<FetchOutcome> CallAwsAsync(SecretSlot slot)
    {
        SecretValue value;
        try
        {
            value = await _aws.GetSecretValueAsync(slot.Name, CancellationToken.None);
        }
        catch (AwsServiceException e) when (e.IsClockSkew)
        {
            // A clock that drifted must not take every secret away: serve stale, and say loudly what to fix.
            SecretsLog.ClockSkew(_logger, e.ErrorCode, slot.Name);
            return RecordFailure(slot, new SecretFetchError(e.ErrorCode, (int)e.StatusCode, true, false));
        }
        catch (AwsServiceException e)
        {
            return RecordFailure(slot, new SecretFetchError(e.ErrorCode, (int)e.StatusCode, e.IsTransient, false));
        }
        catch (HttpRequestException)
        {
            return RecordFailure(slot, new SecretFetchError(AwsServiceException.ConnectionFailedCode, 0, true, false));
        }
        catch (OperationCanceledException)
        {
            // No caller token reaches AWS, so a cancellation here is the client's timeout.
            return RecordFailure(slot, new SecretFetchError(AwsServiceException.TimeoutCode, 0, true, false));
        }
        catch (Exception e)
        {
            // Anything else (a bug, an exception the AWS client did not translate) must still be recorded as a failure:
            // escaping, it would pass the breaker's probe as if AWS had answered, and the waiters of this fetch would
            // lose their stale value. Transient, because it says nothing about the secret itself.
            SecretsLog.UnexpectedFetchError(_logger, slot.Name, e.GetType().FullName ?? e.GetType().Name);
            return RecordFailure(slot, new SecretFetchError(UnexpectedErrorCode, 0, true, false));
        }

        return Store(slot, value);
    }

    private FetchOutcome RecordFailure(SecretSlot slot, SecretFetchError error)
    {
        slot.LastErrorCode = error.ErrorCode;
        if (error.IsTransient)
        {
            slot.LastOutcome = SlotOutcomes.TransientError;
            _metrics.AwsCall("transient-error");
        }
        else
        {
            if (error.ErrorCode == NotFoundCache.ErrorCode)
            {
                _notFound.Add(slot.Name);
            }

            slot.LastOutcome = SlotOutcomes.DefinitiveError;
            _metrics.AwsCall("definitive-error");
            SecretsLog.DefinitiveError(_logger, error.ErrorCode, slot.Name);
        }

        return new FetchOutcome(null, error);
    }

    private FetchOutcome Store(SecretSlot slot, SecretValue value)
    {
        var now = _hitClock.Exact();
        var secret = new CachedSecret(slot.Name, value.SecretString, value.VersionId, now, now + JitteredTtl());
        slot.Current = secret;
        slot.ServingStale = false;
        slot.LastOutcome = SlotOutcomes.Refreshed;
        slot.LastErrorCode = null;
        _notFound.Forget(slot.Name);
        _slots.TryAdd(slot.Name, slot); // a first lookup's slot is kept from its first value on
        _metrics.AwsCall("success");
        Refreshed?.Invoke();
        return new FetchOutcome(secret, null);
    }

    public void Dispose() => _hitClock.Dispose();

    private TimeSpan JitteredTtl() =>
        _options.TtlJitter <= 0 ? _options.Ttl : _options.Ttl * (1 - (_options.TtlJitter * Random.Shared.NextDouble()));

    private static long AgeSeconds(CachedSecret secret, DateTimeOffset now) =>
        Math.Max(0, (long)(now - secret.FetchedAt).TotalSeconds);
}
