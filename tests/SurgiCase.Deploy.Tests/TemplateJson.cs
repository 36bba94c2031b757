using System.Text.Json;
using System.Text.Json.Nodes;

namespace SurgiCase.Deploy.Tests;

/// <summary>A synthesized CloudFormation template, queried as JSON.</summary>
public sealed class TemplateJson(JsonNode root)
{
    public JsonNode Root { get; } = root;

    public IEnumerable<(string Id, JsonObject Resource)> Resources(string type) =>
        Root["Resources"]!.AsObject()
            .Where(r => (string?)r.Value!["Type"] == type)
            .Select(r => (r.Key, r.Value!.AsObject()));

    public JsonObject Resource(string id) => Root["Resources"]![id]!.AsObject();

    /// <summary>The one resource of <paramref name="type"/> whose property <paramref name="property"/> is <paramref name="value"/>.</summary>
    public string IdOf(string type, string property, string value) =>
        Assert.Single(Resources(type), r => (string?)r.Resource["Properties"]?[property] == value).Id;

    public JsonObject PropertiesOf(string id) => Resource(id)["Properties"]!.AsObject();

    /// <summary>Every value anywhere in the template, with its path, for sweeping checks.</summary>
    public IEnumerable<(string Path, JsonNode? Value)> Walk() => Walk("$", Root);

    public static string Canonical(JsonNode? node) => node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";

    /// <summary>A value that is a string, or an array of strings (IAM allows both), as a list.</summary>
    public static IReadOnlyList<JsonNode?> AsList(JsonNode? node) => node is JsonArray array ? [.. array] : [node];

    private static IEnumerable<(string, JsonNode?)> Walk(string path, JsonNode? node)
    {
        yield return (path, node);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    foreach (var item in Walk($"{path}.{key}", value))
                    {
                        yield return item;
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    foreach (var item in Walk($"{path}[{i}]", array[i]))
                    {
                        yield return item;
                    }
                }

                break;
        }
    }
}
