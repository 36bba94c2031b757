using System.Text.Json;

namespace SurgiCase.SchedulerService.Execution;

/// <summary>Reads a report endpoint's JSON answer; only a body reporting failed items matters.</summary>
internal static class ReportBody
{
    /// <summary>
    /// The largest answer read. A report's answer is counts and item lists (5,000 items of 200 characters is about 1 MB);
    /// a bigger one is a broken or hostile endpoint, and reading it whole would hold the scheduler's memory hostage.
    /// </summary>
    public const int MaxBytes = 8 * 1024 * 1024;

    /// <summary>The body as UTF-8 text, or null when it is larger than <see cref="MaxBytes"/> (read no further).</summary>
    public static async Task<string?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > MaxBytes)
        {
            return null;
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81_920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            // A missing or false Content-Length is not trusted: the count is what was actually received.
            if (buffer.Length + read > MaxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

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
