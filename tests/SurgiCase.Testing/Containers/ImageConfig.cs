using System.Text.Json;

namespace SurgiCase.Testing.Containers;

/// <summary>The run-time part of an OCI image configuration.</summary>
public sealed record ImageConfig(
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlyDictionary<string, string> Environment,
    string User,
    string WorkingDir,
    IReadOnlyList<string> ExposedPorts,
    IReadOnlyDictionary<string, string> Labels)
{
    public static ImageConfig Parse(JsonElement config)
    {
        static IReadOnlyList<string> Strings(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(s => s.GetString()!).ToList() : [];
        static string Text(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";

        var environment = Strings(config, "Env")
            .Select(line => line.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
        var ports = config.TryGetProperty("ExposedPorts", out var p) && p.ValueKind == JsonValueKind.Object
            ? p.EnumerateObject().Select(o => o.Name).ToList()
            : [];
        var labels = config.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object
            ? l.EnumerateObject().ToDictionary(o => o.Name, o => o.Value.GetString() ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>();
        return new ImageConfig(Strings(config, "Entrypoint"), Strings(config, "Cmd"), environment, Text(config, "User"),
            Text(config, "WorkingDir"), ports, labels);
    }
}
