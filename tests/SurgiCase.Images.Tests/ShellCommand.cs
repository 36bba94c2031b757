using System.Diagnostics;

namespace SurgiCase.Images.Tests;

/// <summary>Runs a tool to its end and hands back its exit code and output, for the deployment-step tests.</summary>
internal static class ShellCommand
{
    internal sealed record Result(int ExitCode, string Output, string Error)
    {
        public string Describe(string what) => $"{what} exited {ExitCode}:\n{Output}\n{Error}";
    }

    public static async Task<Result> RunAsync(
        string file, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        // The test host's own MSBuild and test-platform settings must not steer an SDK the command runs.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.Ordinal) || k.StartsWith("TESTINGPLATFORM", StringComparison.Ordinal)
            || k == "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', arguments)} did not end within {timeout}:\n{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs and expects exit code 0; returns standard output.</summary>
    public static async Task<string> OutputOfAsync(string file, params string[] arguments)
    {
        var result = await RunAsync(file, arguments);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe($"{file} {string.Join(' ', arguments)}"));
        }

        return result.Output.Trim();
    }

    /// <summary>The tools a test needs that are not on PATH.</summary>
    public static IReadOnlyList<string> Missing(params string[] tools) =>
        tools.Where(tool => !Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
            .ToList();
}
