namespace SurgiCase.Testing;

/// <summary>
/// One local AppHost on this machine at a time, across test processes. The AppHost's API simulator listens on its fixed
/// port (5400, not behind the orchestrator's proxy), so the end-to-end and chaos test assemblies, which
/// <c>dotnet test SurgiCase.sln</c> runs side by side, would otherwise start two simulators on one port. Held from before
/// the AppHost is built until after it is disposed; the operating system releases it if the test process dies.
/// </summary>
public sealed class LocalAppHostLock : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "surgicase-local-apphost.lock");
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private readonly FileStream _file;

    private LocalAppHostLock(FileStream file) => _file = file;

    /// <summary>Waits until no other process holds the lock (at most <paramref name="timeout"/>), then takes it.</summary>
    public static async Task<LocalAppHostLock> AcquireAsync(TimeSpan timeout, Action<string>? waiting = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        var told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Linux: a second opener gets an IOException.
                return new LocalAppHostLock(new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!told)
                {
                    waiting?.Invoke($"Another test process runs a local AppHost; waiting for {LockPath}");
                    told = true;
                }

                await Task.Delay(PollInterval);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
