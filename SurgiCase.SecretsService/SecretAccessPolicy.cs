using Microsoft.Extensions.Configuration;

namespace SurgiCase.SecretsService;

/// <summary>
/// Which caller may read which secrets: <c>Secrets:Callers:{caller}:AllowedSecrets</c>, an array of names where a
/// trailing <c>*</c> matches a prefix. A caller with no list may read nothing.
/// </summary>
internal sealed class SecretAccessPolicy
{
    public const string SectionName = "Secrets:Callers";

    private readonly Dictionary<string, string[]> _allowed;

    public SecretAccessPolicy(IConfiguration configuration)
    {
        _allowed = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var caller in configuration.GetSection(SectionName).GetChildren())
        {
            _allowed[caller.Key] = caller.GetSection("AllowedSecrets").GetChildren()
                .Select(c => c.Value)
                .OfType<string>()
                .Where(v => v.Length > 0)
                .ToArray();
        }
    }

    public bool IsAllowed(string? caller, string secretName)
    {
        if (caller is null || !_allowed.TryGetValue(caller, out var patterns))
        {
            return false;
        }

        foreach (var pattern in patterns)
        {
            var matches = pattern.EndsWith('*')
                ? secretName.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(pattern, secretName, StringComparison.Ordinal);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }
}
