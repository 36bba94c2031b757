using Xunit;

namespace SurgiCase.Testing;

/// <summary>
/// A fixture of the one collection every test class of a project belongs to, so its disposal runs after the whole
/// project: it fails the run if a secret value stored in moto (<see cref="SeededSecrets"/>) shows up in any log record
/// or span <see cref="Capture"/> saw. Apps under test add <c>Capture.CreateLoggerProvider()</c> to their logging.
/// </summary>
public sealed class SecretLeakGuard : IAsyncLifetime
{
    /// <summary>The process's capture: every span, and the logs of every app that added its provider.</summary>
    public static TelemetryCapture Capture { get; } = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        var seeded = SeededSecrets.All;
        // A capture that saw nothing would pass whatever the service logs.
        if (seeded.Count == 0 || Capture.Count == 0)
        {
            throw new InvalidOperationException($"The telemetry capture is not wired: {seeded.Count} seeded values, {Capture.Count} records.");
        }

        var leaks = TelemetryCapture.FindValues(Capture.Lines, seeded);
        if (leaks.Count > 0)
        {
            var report = $"Secret values found in {leaks.Count} log records or spans:{Environment.NewLine}" + string.Join(Environment.NewLine, leaks.Take(20));
            // The runner shows a cleanup failure by its exception type only; the records go to stderr as well.
            Console.Error.WriteLine(report);
            throw new SecretValueLeakedException(report);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Named so that the one line the runner prints for a collection cleanup failure says what went wrong.</summary>
public sealed class SecretValueLeakedException(string message) : Exception(message);
