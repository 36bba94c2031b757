using System.Diagnostics;

namespace SurgiCase.Testing;

/// <summary>
/// A throwaway PostgreSQL 15 server on a free loopback port, started by the test itself (initdb + pg_ctl, as the
/// postgres user when running as root, since PostgreSQL refuses root). Removed with its data on dispose.
/// </summary>
public sealed class LocalPostgresServer : IAsyncDisposable
{
    private readonly string _directory;

    private LocalPostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Connection string of the server's postgres database (trust authentication, loopback only).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<LocalPostgresServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
            : null;
        if (bin is null || !File.Exists(Path.Combine(bin, "initdb")))
        {
            throw new InvalidOperationException("PostgreSQL's initdb was not found under /usr/lib/postgresql/*/bin: apt-get install -y postgresql");
        }

        var directory = Directory.CreateTempSubdirectory("surgicase-pg-").FullName;
        var port = MotoServer.FreeTcpPort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync("/bin/sh", "-c", "id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres");
            await RunAsync("chown", "postgres", directory);
        }

        var server = new LocalPostgresServer(directory, port);
        await server.AsOwnerAsync($"'{bin}/initdb' -D '{directory}/data' -U postgres --auth=trust >'{directory}/initdb.log' 2>&1", asRoot);
        await server.AsOwnerAsync(
            $"'{bin}/pg_ctl' -D '{directory}/data' -o '-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off' -l '{directory}/server.log' -w start >/dev/null",
            asRoot);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Order().Last();
        try
        {
            await AsOwnerAsync($"'{bin}/pg_ctl' -D '{_directory}/data' -m immediate stop >/dev/null 2>&1", Environment.UserName == "root");
        }
        finally
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private Task AsOwnerAsync(string command, bool asRoot) =>
        asRoot ? RunAsync("su", "postgres", "-s", "/bin/sh", "-c", command) : RunAsync("/bin/sh", "-c", command);

    private static async Task RunAsync(string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
