using SurgiCase.Aws;

namespace SurgiCase.SecretsService;

/// <summary>
/// The fetching half of the cache: one AWS call per slot however many lookups wait on it (single flight), through the
/// circuit breaker, with every outcome recorded on the slot: a value stored with its jittered TTL, a transient failure
/// (served stale by the lookup side), a definitive one (a missing name is remembered in the not-found cache).
/// </summary>
internal sealed partial class SecretCache
{
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

    private TimeSpan JitteredTtl() =>
        _options.TtlJitter <= 0 ? _options.Ttl : _options.Ttl * (1 - (_options.TtlJitter * Random.Shared.NextDouble()));
}
