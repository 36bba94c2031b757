using System.Text.RegularExpressions;

namespace SurgiCase.Images.Tests;

/// <summary>
/// The commands docs/deploy.md gives for a step, read from the page itself, so the page and its test cannot drift.
/// </summary>
internal static partial class DeployGuide
{
    public static string PagePath => Path.Combine(ImageSet.RepositoryRoot, "docs", "deploy.md");

    /// <summary>The first ```bash block under the "## HEADING" section.</summary>
    public static string BashBlock(string heading)
    {
        var page = File.ReadAllText(PagePath).ReplaceLineEndings("\n");
        var start = page.IndexOf("\n## " + heading + "\n", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"{PagePath} has no section '## {heading}'.");
        }

        var next = page.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = next < 0 ? page[start..] : page[start..next];
        var block = BashFence().Match(section);
        return block.Success
            ? block.Groups["commands"].Value
            : throw new InvalidOperationException($"Section '## {heading}' of {PagePath} has no ```bash block.");
    }

    /// <summary>The value a block assigns to a shell variable (NAME=value), as the reader copies it.</summary>
    public static string Variable(string block, string name)
    {
        var match = Regex.Match(block, $@"(?<![A-Za-z0-9_]){Regex.Escape(name)}=(?<value>[^\s;]+)");
        return match.Success ? match.Groups["value"].Value : throw new InvalidOperationException($"The block sets no {name}:\n{block}");
    }

    [GeneratedRegex(@"```bash\n(?<commands>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashFence();
}
