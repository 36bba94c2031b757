using System.Diagnostics;
using SurgiCase.Images.Tests;

namespace SurgiCase.ImageStartup;

/// <summary>
/// The baseline: the same service started with `dotnet X.dll` from its Release build output (framework-dependent,
/// JIT only), with the same environment the container gets and nothing from this process's own.
/// </summary>
internal static class DotnetBaseline
{
    public static readonly Dictionary<string, string> Projects = new(StringComparer.Ordinal)
    {
        ["scheduler-service"] = "SurgiCase.SchedulerService",
        ["notification-service"] = "SurgiCase.NotificationService",
        ["secrets-service"] = "SurgiCase.SecretsService",
        ["api-simulator"] = "SurgiCase.ApiSimulator",
    };

    public static string Build(string service, string outputRoot)
    {
        var project = Projects[service];
        var output = Path.Combine(outputRoot, service);
        Run("dotnet", "build", Path.Combine(ImageSet.RepositoryRoot, project, project + ".csproj"), "-c", "Release", "-o", output, "-v", "q", "-nologo");
        return Path.Combine(output, project + ".dll");
    }

    public static Process Start(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var path = start.Environment["PATH"];
        start.Environment.Clear();
        start.Environment["PATH"] = path;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Run(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments))!;
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {process.ExitCode}.");
        }
    }
}
