using Npgsql;
using System.Diagnostics;

namespace SurgiCase.Testing;

/// <summary>
/// The PostgreSQL server of a test process: the one <c>SURGICASE_TEST_POSTGRES</c> names (CI's, or a developer's), else
/// a throwaway server started on first use with <c>initdb</c> and <c>pg_ctl</c> from PATH or
/// <c>/usr/lib/postgresql/*/bin</c>, as <c>.ci/postgres.sh</c> does, on a free loopback port. It is stopped and its
/// files removed when the process exits, and by a watcher process if the test host is killed instead.
/// </summary>
public sealed class PostgresServer
{
    public const string Variable = "SURGICASE_TEST_POSTGRES";

    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);

    private PostgresServer(string connectionString) => ConnectionString = connectionString;

    /// <summary>A superuser's connection to the server's <c>postgres</c> database.</summary>
    public string ConnectionString { get; }

    public static Task<PostgresServer> GetAsync() => Shared.Value;

    /// <summary>An open connection, or the error that refused it (the connection is not left behind).</summary>
    public static async Task<NpgsqlConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<PostgresServer> StartAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            return new PostgresServer(given);
        }

        var bin = FindBinaries() ?? throw new InvalidOperationException(
            $"No PostgreSQL for the tests: install PostgreSQL 15 (apt-get install postgresql) so they start their own, "
            + $"or set {Variable} to a server (e.g. Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres).");
        var port = MotoServer.FreeTcpPort();
        var folder = Directory.CreateTempSubdirectory("surgicase-test-pg-").FullName;
        // PostgreSQL refuses to run as root: under root (CI) the files and the server belong to the postgres user.
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            await RunAsync(null, "sh", "-c", "id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres");
            await RunAsync(null, "chown", "postgres", folder);
        }

        var data = Path.Combine(folder, "data");
        await RunAsOwnerAsync(asRoot, $"'{bin}/initdb' -D '{data}' -U postgres --auth=trust >'{folder}/initdb.log' 2>&1", folder);
        await RunAsOwnerAsync(
            asRoot,
            $"'{bin}/pg_ctl' -D '{data}' -o '-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off' -l '{folder}/server.log' -w start >'{folder}/pg_ctl.log' 2>&1",
            folder);

        var stop = $"'{bin}/pg_ctl' -D '{data}' -m immediate stop >/dev/null 2>&1; rm -rf '{folder}'";
        StartWatcher(asRoot ? $"su postgres -s /bin/sh -c \"{stop}\"" : stop);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RunAsOwnerAsync(asRoot, stop, folder: null).GetAwaiter().GetResult();
        return new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }

    private static string? FindBinaries()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .FirstOrDefault(dir => dir.Length > 0 && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        const string installed = "/usr/lib/postgresql";
        return Directory.Exists(installed)
            ? Directory.GetDirectories(installed).Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
    }

    /// <summary>A process of its own session that runs <paramref name="stop"/> once this process is gone, however it ended.</summary>
    private static void StartWatcher(string stop)
    {
        var script = $"while kill -0 {Environment.ProcessId} 2>/dev/null; do sleep 1; done; {stop}";
        // Its standard streams are pipes to this process, so it never holds the test runner's output open.
        var watcher = Process.Start(new ProcessStartInfo("setsid", ["sh", "-c", script])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        });
        watcher?.Dispose();
    }

    private static Task RunAsOwnerAsync(bool asRoot, string command, string? folder) =>
        asRoot ? RunAsync(folder, "su", "postgres", "-s", "/bin/sh", "-c", command) : RunAsync(folder, "sh", "-c", command);

    /// <summary>Runs a command to its end; on failure the logs in <paramref name="logFolder"/> say why.</summary>
    private static async Task RunAsync(string? logFolder, string file, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false })
            ?? throw new InvalidOperationException($"{file} did not start.");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var logs = logFolder is null || !Directory.Exists(logFolder)
                ? ""
                : string.Join(Environment.NewLine, Directory.GetFiles(logFolder, "*.log").Select(File.ReadAllText));
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}. {logs}");
        }
    }
}
