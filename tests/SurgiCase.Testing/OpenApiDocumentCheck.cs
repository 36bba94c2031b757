using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace SurgiCase.Testing;

/// <summary>
/// Compares the OpenAPI document a service serves in Development with its checked-in copy under docs/api/, so the
/// copy cannot drift from the code. With <c>SURGICASE_UPDATE_OPENAPI=1</c> the copy is rewritten instead.
/// </summary>
public static class OpenApiDocumentCheck
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string UpdateVariable = "SURGICASE_UPDATE_OPENAPI";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task AssertMatchesCheckedInAsync(HttpClient client, string fileName, string testProject)
    {
        using var response = await client.GetAsync(DocumentPath);
        Assert.True(response.IsSuccessStatusCode, $"GET {DocumentPath} answered {(int)response.StatusCode}");
        var served = Normalize(await response.Content.ReadAsStringAsync());
        var file = RepositoryFolder.Path("docs", "api", fileName);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, served);
            return;
        }

        var checkedIn = File.Exists(file) ? Normalize(await File.ReadAllTextAsync(file)) : "";
        if (served != checkedIn)
        {
            Assert.Fail($"docs/api/{fileName} differs from the API the code serves ({FirstDifference(checkedIn, served)}). " +
                $"Regenerate it with `{UpdateVariable}=1 dotnet test tests/{testProject} --filter OpenApi`, review the diff and commit it.");
        }
    }

    /// <summary>Keys sorted at every level and one layout, so only a change of meaning counts as drift.</summary>
    private static string Normalize(string json) =>
        Sorted(JsonNode.Parse(json))?.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };

    private static string FirstDifference(string expected, string actual)
    {
        if (expected.Length == 0)
        {
            return "the file is missing or empty";
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var e = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var a = i < actualLines.Length ? actualLines[i] : "<end>";
            if (e != a)
            {
                return $"line {i + 1}: checked in `{e.Trim()}`, served `{a.Trim()}`";
            }
        }

        return "same lines";
    }
}
