using System.Collections.Concurrent;
using System.Diagnostics;

namespace SurgiCase.Testing.Containers;

/// <summary>
/// Runs an unpacked image the way a container runtime would, without one (podman cannot run containers in this
/// sandbox): in a private mount namespace, chroot'ed into the image's root file system, as the image's user, in
/// its working directory, with the image's environment plus the given variables and nothing from the test's own
/// environment. The root file system is mounted read-only (as ECS's readonlyRootFilesystem), with /proc, /dev, a
/// tmpfs /tmp and a writable data volume at /data. The mounts belong to the namespace, so they vanish with the
/// process however it ends: nothing is left mounted in a temp folder, even when a test fails or is killed.
/// Needs root. The container shares the host network, so each gets its own port through ASPNETCORE_HTTP_PORTS.
/// </summary>
public sealed class ChrootContainer : IAsyncDisposable
{
    public const string DataVolume = "/data";

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChrootContainer(Process process, string name, int port, string dataDirectory)
    {
        _process = process;
        Name = name;
        Port = port;
        DataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public string Name { get; }

    public int Port { get; }

    public Uri BaseAddress { get; }

    /// <summary>The host folder mounted at <see cref="DataVolume"/>.</summary>
    public string DataDirectory { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the container wrote to stdout and stderr, in order.</summary>
    public IReadOnlyList<string> Output => _output.ToArray();

    public static ChrootContainer Start(string name, string rootfs, ImageConfig config, IReadOnlyDictionary<string, string> environment)
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            throw new InvalidOperationException("Running an image under chroot needs root on Linux (the image tests run as root in CI).");
        }

        var port = environment.TryGetValue("ASPNETCORE_HTTP_PORTS", out var p) ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : MotoServer.FreeTcpPort();
        var data = Directory.CreateTempSubdirectory($"surgicase-{name}-data-").FullName;
        var (uid, gid) = ResolveUser(rootfs, config.User);
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Chown(data, uid, gid);
        Directory.CreateDirectory(Path.Combine(rootfs, DataVolume.TrimStart('/')));

        var variables = config.Environment.Concat(environment)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        variables["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var workingDir = string.IsNullOrEmpty(config.WorkingDir) ? "/" : config.WorkingDir;
        // unshare and sh exec into chroot, which execs env, which execs the app: one PID throughout, so a signal
        // sent to it reaches the app, and its exit code is the app's. The variables travel as env's arguments
        // because sh drops names it cannot hold (Authentication__ApiKeys__scheduler-service); env -i starts the app
        // with exactly these.
        const string Script = """
            set -e
            root=$1; data=$2; user=$3; workdir=$4; shift 4
            /bin/mount --bind "$root" "$root"
            /bin/mount -o remount,bind,ro "$root"
            /bin/mount -t proc proc "$root/proc"
            /bin/mount --rbind /dev "$root/dev"
            /bin/mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
            /bin/mount --bind "$data" "$root/data"
            exec /usr/sbin/chroot --userspec="$user" "$root" /usr/bin/env -i -C "$workdir" "$@"
            """;
        var start = new ProcessStartInfo("/usr/bin/unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = new[] { "--mount", "--propagation", "private", "/bin/sh", "-c", Script, "container", rootfs, data, $"{uid}:{gid}", workingDir }
            .Concat(variables.Select(kv => $"{kv.Key}={kv.Value}"))
            .Concat(config.Entrypoint)
            .Concat(config.Cmd);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin";
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var container = new ChrootContainer(process, name, port, data);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) container._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) container._output.Enqueue(e.Data); };
        process.Exited += (_, _) => container._exited.TrySetResult();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return container;
    }

    /// <summary>Polls GET /health until it answers 200 with status Healthy; fails early when the process exits.</summary>
    public Task WaitForHealthyAsync(HttpClient http, TimeSpan timeout) =>
        HealthPoller.WaitHealthyAsync(http, BaseAddress, () => _process.HasExited, timeout, () => $"{Name} (exit code {(_process.HasExited ? _process.ExitCode : null)}):\n{Tail()}");

    /// <summary>What ECS does to stop a task: SIGTERM.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>Waits for the process to exit; false when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_exited.Task, Task.Delay(timeout));
        if (finished != _exited.Task)
        {
            return false;
        }

        await _process.WaitForExitAsync();
        return true;
    }

    public string Tail(int lines = 40) => string.Join('\n', Output.TakeLast(lines));

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(DataDirectory, recursive: true);
    }

    private static (int Uid, int Gid) ResolveUser(string rootfs, string user)
    {
        var name = user.Split(':')[0];
        if (name.Length == 0)
        {
            return (0, 0);
        }

        var passwd = File.ReadAllLines(Path.Combine(rootfs, "etc/passwd")).Select(l => l.Split(':')).ToList();
        var entry = passwd.FirstOrDefault(f => f[0] == name || f[2] == name)
            ?? throw new InvalidOperationException($"The image's user '{user}' is not in its /etc/passwd.");
        return (int.Parse(entry[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(entry[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static void Chown(string path, int uid, int gid)
    {
        using var chown = Process.Start("chown", [$"{uid}:{gid}", path]);
        chown.WaitForExit();
    }
}
