using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace SurgiCase.Chaos.Tests;

/// <summary>
/// The process of every resource instance (a replicated resource has one per replica), from the AppHost's own resource
/// snapshots (property <c>executable.pid</c>), so a scenario can <c>kill -9</c> exactly one service process and start
/// it again with the dashboard's "resource-start" command.
/// </summary>
public sealed class ResourceProcesses : IDisposable
{
    public const string PidProperty = "executable.pid";

    private readonly DistributedApplication _app;
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();

    private ResourceProcesses(DistributedApplication app) => _app = app;

    public static ResourceProcesses Watch(DistributedApplication app)
    {
        var processes = new ResourceProcesses(app);
        _ = Task.Run(processes.WatchAsync);
        return processes;
    }

    /// <summary>Running instances of a resource: instance id → process id.</summary>
    public IReadOnlyDictionary<string, int> Running(string resourceName) =>
        _latest.Values
            .Where(e => e.Resource.Name == resourceName && e.Snapshot.State?.Text == KnownResourceStates.Running && Pid(e) is not null)
            .ToDictionary(e => e.ResourceId, e => Pid(e)!.Value);

    /// <summary>
    /// Sends SIGKILL to the instance's process and everything it started (the orchestrator's pid is a launcher whose
    /// child is the service: killing the launcher alone orphans a live service), and waits until the AppHost has seen it go.
    /// </summary>
    public async Task<int> KillAsync(string instanceId, TimeSpan timeout)
    {
        var pid = Pid(_latest[instanceId]) ?? throw new InvalidOperationException($"{instanceId} has no process id.");
        using (var process = Process.GetProcessById(pid))
        {
            process.Kill(entireProcessTree: true); // SIGKILL on Linux: nothing of the service gets to run.
        }

        await WaitUntilAsync(() => _latest[instanceId].Snapshot.State?.Text != KnownResourceStates.Running || Pid(_latest[instanceId]) != pid, timeout,
            $"{instanceId} still running: {Describe(_latest[instanceId])}");
        return pid;
    }

    /// <summary>Starts a stopped instance again, as the dashboard's start button does, and waits until it is running.</summary>
    public async Task StartAsync(string instanceId, TimeSpan timeout)
    {
        var commands = _app.Services.GetRequiredService<ResourceCommandService>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var result = await commands.ExecuteCommandAsync(instanceId, "resource-start");
            if (result.Success)
            {
                break;
            }

            // The orchestrator may not have finished noting the exit yet; the command is refused until it has.
            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"resource-start {instanceId}: {result.Message}");
            }

            await Task.Delay(250);
        }

        await WaitUntilAsync(() => _latest[instanceId].Snapshot.State?.Text == KnownResourceStates.Running && Pid(_latest[instanceId]) is not null, timeout,
            $"{instanceId} not running again: {Describe(_latest[instanceId])}");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private static int? Pid(ResourceEvent e) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == PidProperty)?.Value is { } value
        && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;

    private static string Describe(ResourceEvent e) =>
        $"state {e.Snapshot.State?.Text}, pid {Pid(e)}, exit code {e.Snapshot.ExitCode}";

    private async Task WatchAsync()
    {
        try
        {
            await foreach (var e in _app.ResourceNotifications.WatchAsync(_stop.Token))
            {
                _latest[e.ResourceId] = e;
            }
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(100);
        }
    }
}
