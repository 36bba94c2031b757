namespace SurgiCase.SecretsService;

/// <summary>What GET /secrets/{name} answers: the value, where it came from and how old it is.</summary>
public sealed record SecretResponse(string Name, string? Value, string VersionId, string Source, long AgeSeconds)
{
    public override string ToString() => $"{Name} (version {VersionId}, {Source}, value redacted)";
}

public sealed record CacheEntryResponse(
    string Name, long? AgeSeconds, string LastOutcome, string? LastErrorCode, bool Stale, string? VersionId, DateTimeOffset? LastAttemptAt);

public sealed record CacheResponse(string CircuitBreaker, IReadOnlyList<CacheEntryResponse> Entries);
