using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The built SchedulerService as a real operating-system process (<c>dotnet SurgiCase.SchedulerService.dll</c>), configured
/// only through environment variables, the way a deployment configures it. <see cref="Kill"/> is SIGKILL on Linux: no
/// shutdown code runs, no Quartz check-in is withdrawn.
/// </summary>
internal sealed class SchedulerProcess : IAsyncDisposable
{
    private const string DllName = "SurgiCase.SchedulerService.dll";
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private SchedulerProcess(string name, int port, Process process)
    {
        Name = name;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        _process = process;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The service's build output, next to its own appsettings.json (the content root of the process).</summary>
    public static string OutputDirectory()
    {
        var folder = typeof(SchedulerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "SchedulerServiceOutput")?.Value
            ?? throw new InvalidOperationException("The test assembly lacks its SchedulerServiceOutput metadata (see the test csproj).");
        var dll = Path.Combine(folder, DllName);
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: build SurgiCase.SchedulerService in the same configuration as the tests.");
        }

        // The copy beside the tests comes from the same build; a different one means the service output is stale or foreign.
        var copy = Path.Combine(AppContext.BaseDirectory, DllName);
        if (File.Exists(copy) && !SHA256.HashData(File.ReadAllBytes(dll)).AsSpan().SequenceEqual(SHA256.HashData(File.ReadAllBytes(copy))))
        {
            throw new InvalidOperationException($"{dll} differs from the copy the tests were built with ({copy}): rebuild the test project.");
        }

        return folder;
    }

    /// <summary>
    /// How many entries <c>Scheduler:Jobs</c> has in the shipped appsettings. Configuration arrays merge by index, so
    /// a test that wants its own jobs alone must switch each of these off and put its jobs after them.
    /// </summary>
    public static int ShippedJobCount(string outputDirectory) =>
        new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(outputDirectory, "appsettings.json"), optional: false)
            .AddJsonFile(Path.Combine(outputDirectory, "appsettings.Production.json"), optional: true)
            .Build()
            .GetSection("Scheduler:Jobs").GetChildren()
            .Select(c => int.Parse(c.Key, System.Globalization.CultureInfo.InvariantCulture) + 1)
            .DefaultIfEmpty(0).Max();

    /// <summary>Starts the service on a free loopback port with <paramref name="settings"/> as environment variables.</summary>
    /// <param name="folder">The service's files: its build output unless given (e.g. a publish folder).</param>
    public static SchedulerProcess Start(string name, IReadOnlyDictionary<string, string> settings, string? folder = null)
    {
        folder ??= OutputDirectory();
        var port = Testing.MotoServer.FreeTcpPort();
        var startInfo = new ProcessStartInfo("dotnet", [Path.Combine(folder, DllName)])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Nothing from the test runner's environment may reach the service's configuration or telemetry.
        foreach (var key in startInfo.Environment.Keys.ToList())
        {
            if (key.StartsWith("OTEL_", StringComparison.Ordinal) || key.StartsWith("ASPNETCORE_", StringComparison.Ordinal)
                || key.StartsWith("DOTNET_ENVIRONMENT", StringComparison.Ordinal) || key.Contains("__", StringComparison.Ordinal))
            {
                startInfo.Environment.Remove(key);
            }
        }

        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in settings)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet did not start.");
        var started = new SchedulerProcess(name, port, process);
        process.OutputDataReceived += (_, e) => started.Append("out", e.Data);
        process.ErrorDataReceived += (_, e) => started.Append("err", e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Polls <c>/health</c> until it answers 200 (Healthy or Degraded); fails with the log if the process exits.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited)
            {
                Assert.Fail($"{Name} exited with code {_process.ExitCode} before it was healthy:\n{Log()}");
            }

            try
            {
                using var response = await client.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // still starting
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"{Name} was not healthy on {BaseAddress} within {timeout.TotalSeconds} s:\n{Log()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>SIGKILL: the process ends at once, mid-whatever it was doing.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public string Log() => $"--- {Name} (pid {_process.Id}) ---\n" + string.Join('\n', _output);

    private void Append(string stream, string? line)
    {
        if (line is not null)
        {
            _output.Enqueue($"[{DateTime.UtcNow:HH:mm:ss.fff} {stream}] {line}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
