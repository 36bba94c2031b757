using System.Text.RegularExpressions;
using System.Xml.Linq;
using SurgiCase.Testing;

namespace SurgiCase.AppHost.Tests;

/// <summary>
/// docs/architecture.md against the code: its project table names every top-level project, and its dependency graph
/// (the mermaid block under "Dependencies") has exactly the project references the csproj files declare.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    private static readonly string Doc = File.ReadAllText(RepositoryFolder.Path("docs", "architecture.md"));

    [Fact]
    public void The_project_table_names_every_top_level_project()
    {
        var missing = ProductProjects().Keys.Where(p => !Doc.Contains($"| `{p}` |", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "docs/architecture.md's project table lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_dependency_graph_is_the_csproj_graph()
    {
        var declared = ProductProjects()
            .SelectMany(p => p.Value.Select(reference => $"{p.Key} --> {reference}"))
            .ToHashSet(StringComparer.Ordinal);
        var drawn = DrawnEdges();

        Assert.NotEmpty(drawn);
        var notDrawn = declared.Except(drawn).Order(StringComparer.Ordinal).ToList();
        var notDeclared = drawn.Except(declared).Order(StringComparer.Ordinal).ToList();
        Assert.True(notDrawn.Count == 0 && notDeclared.Count == 0,
            $"docs/architecture.md's graph differs from the csproj files. Missing arrows: {string.Join("; ", notDrawn)}. " +
            $"Arrows no csproj declares: {string.Join("; ", notDeclared)}.");
    }

    /// <summary>Each top-level SurgiCase.* project with the SurgiCase.* projects it references.</summary>
    private static Dictionary<string, List<string>> ProductProjects() =>
        Directory.GetDirectories(RepositoryFolder.FullName, "SurgiCase.*")
            .Select(folder => Path.Combine(folder, Path.GetFileName(folder) + ".csproj"))
            .Where(File.Exists)
            .ToDictionary(
                csproj => Path.GetFileNameWithoutExtension(csproj),
                csproj => XDocument.Load(csproj).Descendants("ProjectReference")
                    .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                    .ToList(),
                StringComparer.Ordinal);

    /// <summary>
    /// The arrows of the graph as "From --> To" with full project names. A node is <c>Alias[Label]</c> (the label is the
    /// project's name, with or without the <c>SurgiCase.</c> prefix) or a bare alias defined elsewhere in the block;
    /// <c>A &amp; B --> C &amp; D</c> stands for every pair.
    /// </summary>
    private static HashSet<string> DrawnEdges()
    {
        var block = MermaidBlock().Match(Doc[Doc.IndexOf("## Dependencies", StringComparison.Ordinal)..]).Groups[1].Value;
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match node in LabelledNode().Matches(block))
        {
            var label = node.Groups[2].Value;
            names[node.Groups[1].Value] = label.StartsWith("SurgiCase.", StringComparison.Ordinal) ? label : "SurgiCase." + label;
        }

        var edges = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in block.Split('\n').Where(l => l.Contains("-->", StringComparison.Ordinal)))
        {
            var sides = line.Split("-->");
            foreach (var from in Nodes(sides[0]))
            {
                foreach (var to in Nodes(sides[1]))
                {
                    edges.Add($"{names[from]} --> {names[to]}");
                }
            }
        }

        return edges;
    }

    private static IEnumerable<string> Nodes(string side) =>
        side.Split('&').Select(n => NodeAlias().Match(n.Trim()).Groups[1].Value).Where(a => a.Length > 0);

    [GeneratedRegex(@"```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();

    [GeneratedRegex(@"(\w+)\[([\w.]+)\]")]
    private static partial Regex LabelledNode();

    [GeneratedRegex(@"^(\w+)")]
    private static partial Regex NodeAlias();
}
