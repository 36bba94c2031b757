namespace SurgiCase.SecretsClient;

/// <summary>
/// One secret as the SecretsService served it. <see cref="Source"/> is <c>fresh</c>, <c>cached</c>, <c>stale</c>, or
/// <c>client-cached</c> when the SecretsService could not be reached and this process's last copy was used.
/// </summary>
public sealed record SecretLookup(string Name, string? Value, string VersionId, string Source, long AgeSeconds)
{
    public const string ClientCachedSource = "client-cached";

    // The generated ToString would print the value into any log line or exception that formats this record.
    public override string ToString() => $"{Name} (version {VersionId}, {Source}, age {AgeSeconds}s, value redacted)";
}
