using System.Net.Mail;

namespace SurgiCase.NotificationService.Recipients;

/// <summary>
/// Accepts only a bare address (<c>local@domain</c>): no display name, no control characters, no CR/LF.
/// A value from a secret is not trusted to be well formed, and a line break in an address is how
/// header injection starts.
/// </summary>
internal static class EmailAddressValidator
{
    private const int MaxLength = 254;

    public static bool IsValid(string candidate)
    {
        if (string.IsNullOrEmpty(candidate) || candidate.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"')
            {
                return false;
            }
        }

        if (!MailAddress.TryCreate(candidate, out var parsed))
        {
            return false;
        }

        // MailAddress also accepts "Name <a@b>" and quoted forms; only the plain address may pass.
        return string.Equals(parsed.Address, candidate, StringComparison.Ordinal)
            && parsed.Host.Contains('.', StringComparison.Ordinal)
            && !parsed.Host.StartsWith('.')
            && !parsed.Host.EndsWith('.');
    }

    /// <summary>Splits a comma-separated list into trimmed, non-empty entries (validation is separate).</summary>
    public static IReadOnlyList<string> Split(string? list) =>
        string.IsNullOrWhiteSpace(list)
            ? []
            : list.Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(s => s.Trim(' ', '\t'))
                .Where(s => s.Length > 0)
                .ToList();
}
