using System.Text.Json;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>Reads a report endpoint's JSON answer; only a body reporting failed items matters.</summary>
internal static class ReportBody
{
    public static PartialResult? TryReadPartial(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object
                || !TryGetInt(root, "failed", out var failed) || failed <= 0)
            {
                return null;
            }

            TryGetInt(root, "succeeded", out var succeeded);
            var total = TryGetInt(root, "total", out var t) ? t : succeeded + failed;
            return new PartialResult(succeeded, failed, total, Strings(root, "failedItems"), Strings(root, "warnings"));
        }
        catch (System.Text.Json.JsonException)
        {
            // A report that is not JSON (a PDF, say) says nothing about partial failure.
            return null;
        }
    }

    private static bool TryGetInt(System.Text.Json.JsonElement root, string name, out int value)
    {
        value = 0;
        return root.TryGetProperty(name, out var property)
               && property.ValueKind == System.Text.Json.JsonValueKind.Number
               && property.TryGetInt32(out value);
    }

    private static List<string> Strings(System.Text.Json.JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind != System.Text.Json.JsonValueKind.Array)
        {
            return [];
        }

        return array.EnumerateArray()
            .Select(item => item.ValueKind == System.Text.Json.JsonValueKind.String ? item.GetString() ?? "" : item.GetRawText())
            .ToList();
    }
}
