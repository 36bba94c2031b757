using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace SurgiCase.Operations.Hosting;

/// <summary>
/// Sessions ended by sign-out, checked on every request (<see cref="OperatorSession.ValidateAsync"/>), so a copied cookie
/// stops working the moment its owner signs out. An entry is kept as long as the cookie it revokes could still be valid
/// (<see cref="OperationsOptions.SessionMaxAge"/>), then dropped. Held in this process: with several replicas a revoked
/// cookie still ends at its max age on the others.
/// </summary>
internal sealed class SessionRevocations(TimeProvider time, IOptionsMonitor<OperationsOptions> options)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _revoked = new(StringComparer.Ordinal);

    public void Revoke(string sessionId)
    {
        var now = time.GetUtcNow();
        _revoked[sessionId] = now + options.CurrentValue.SessionMaxAge;
        foreach (var (id, until) in _revoked)
        {
            if (until <= now)
            {
                _revoked.TryRemove(id, out _);
            }
        }
    }

    public bool IsRevoked(string sessionId) => _revoked.TryGetValue(sessionId, out var until) && until > time.GetUtcNow();
}
