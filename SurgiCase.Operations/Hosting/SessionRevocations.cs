using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// Where revoked session ids are kept until the cookie they revoke could no longer be valid. The host brings one shared
/// by its replicas (the scheduler's is a table in its database); without one they are kept in this process.
/// </summary>
public interface ISessionRevocationStore
{
    Task RevokeAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken);

    Task<bool> IsRevokedAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>
/// Sessions ended by sign-out, checked on every request (<see cref="OperatorSession.ValidateAsync"/>), so a copied cookie
/// stops working the moment its owner signs out. An entry is kept as long as the cookie it revokes could still be valid
/// (<see cref="OperationsOptions.SessionMaxAge"/>).
/// </summary>
internal sealed class SessionRevocations(ISessionRevocationStore store, TimeProvider time, IOptionsMonitor<OperationsOptions> options)
{
    public Task RevokeAsync(string sessionId, CancellationToken cancellationToken) =>
        store.RevokeAsync(sessionId, time.GetUtcNow() + options.CurrentValue.SessionMaxAge, cancellationToken);

    public Task<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken) =>
        store.IsRevokedAsync(sessionId, time.GetUtcNow(), cancellationToken);
}

/// <summary>The revocations of one process: enough for a single instance; replicas share the host's store.</summary>
internal sealed class InMemorySessionRevocationStore : ISessionRevocationStore
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public Task RevokeAsync(string sessionId, DateTimeOffset until, CancellationToken cancellationToken)
    {
        _revoked[sessionId] = until;
        return Task.CompletedTask;
    }

    public Task<bool> IsRevokedAsync(string sessionId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (id, until) in _revoked)
        {
            if (until <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }

        return Task.FromResult(_revoked.ContainsKey(sessionId));
    }
}
