using System.Text.Json;
using Amazon.CDK;

namespace SurgiCase.Deploy;

/// <summary>
/// Makes a plain <c>dotnet run</c> behave like <c>cdk synth</c>: the CLI hands the app its context (cdk.json,
/// cdk.context.json, -c) and output folder through the environment (CDK_CONTEXT_JSON, CDK_OUTDIR); without them, the
/// app reads cdk.json's context from its project folder and writes to cdk.out/ in the current folder. Arguments add
/// context as the CLI's -c would: <c>@file.json</c> (a file's <c>context</c> object) and <c>key=value</c>, in order.
/// </summary>
internal static class CdkJson
{
    public const string FileName = "cdk.json";

    /// <summary>Example values of the required keys, for the offline synthesis in CI and the tests only.</summary>
    public const string CiContextFileName = "ci.context.json";

    public static AppProps AppProps(IReadOnlyList<string> args)
    {
        var props = new AppProps();
        if (System.Environment.GetEnvironmentVariable("CDK_OUTDIR") is null)
        {
            props.Outdir = "cdk.out";
        }

        if (System.Environment.GetEnvironmentVariable("CDK_CONTEXT_JSON") is null)
        {
            var context = ReadContext(Find());
            foreach (var arg in args)
            {
                var overlay = arg.StartsWith('@')
                    ? ReadContext(arg[1..])
                    : new Dictionary<string, object> { [arg[..Math.Max(0, arg.IndexOf('=', StringComparison.Ordinal))]] = arg[(arg.IndexOf('=', StringComparison.Ordinal) + 1)..] };
                foreach (var (key, value) in overlay)
                {
                    context[key] = value;
                }
            }

            props.Context = context;
        }

        return props;
    }

    /// <summary>The context object of a cdk.json file, with JSON values as the CDK expects them (strings, numbers, booleans).</summary>
    public static Dictionary<string, object> ReadContext(string? path)
    {
        var context = new Dictionary<string, object>(StringComparer.Ordinal);
        if (path is null)
        {
            return context;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        if (!document.RootElement.TryGetProperty("context", out var values))
        {
            return context;
        }

        foreach (var property in values.EnumerateObject())
        {
            context[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number => property.Value.GetDouble(),
                _ => property.Value.ToString(),
            };
        }

        return context;
    }

    // The project folder when run from the repository root (dotnet run --project deploy/SurgiCase.Deploy), else the
    // current folder; the build output never holds cdk.json.
    private static string? Find() =>
        new[] { Path.Combine("deploy", "SurgiCase.Deploy", FileName), FileName }.FirstOrDefault(File.Exists);
}
