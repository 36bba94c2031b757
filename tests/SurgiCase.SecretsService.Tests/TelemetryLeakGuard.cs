namespace SurgiCase.SecretsService.Tests;

/// <summary>
/// A fixture of the one collection every test class belongs to (<see cref="MotoCollection"/>), so its disposal runs
/// after the whole suite: it fails the run if a seeded value shows up in any captured log record or span.
/// </summary>
public sealed class TelemetryLeakGuard : IAsyncLifetime
{
    public Task InitializeAsync()
    {
        TelemetryCapture.EnsureListening();
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        // A capture that saw nothing would pass whatever the service logs.
        if (TelemetryCapture.SeededCount == 0 || TelemetryCapture.RecordCount == 0)
        {
            throw new InvalidOperationException(
                $"The telemetry capture is not wired: {TelemetryCapture.SeededCount} seeded values, {TelemetryCapture.RecordCount} records.");
        }

        var leaks = TelemetryCapture.FindLeaks();
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
