using System.Collections.Concurrent;
using System.Text.Json;

namespace SurgiCase.Testing;

/// <summary>
/// Every secret value the tests stored in moto in this process, with its JSON string fields (a leak may print one field
/// only), for a check that none of them reached a log record or a span.
/// </summary>
public static class SeededSecrets
{
    // Shorter leaves ("x", "3") would also match unrelated text; the whole value is always kept.
    private const int MinimumLeafLength = 8;
    private static readonly ConcurrentDictionary<string, byte> Values = new(StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Values.Keys.ToArray();

    public static void Add(string value)
    {
        Values[value] = 0;
        try
        {
            using var document = JsonDocument.Parse(value);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: >= MinimumLeafLength } leaf)
                {
                    Values[leaf] = 0;
                }
            }
        }
        catch (JsonException)
        {
            // a plain-string secret: the whole value is enough
        }
    }
}
