using System.Diagnostics;

/// <summary>
/// How busy the machine's cores were while the bench measured, per process, from Linux's /proc/[pid]/stat (user plus
/// system time). On a machine with fewer cores than processes on the alert's path, the alert waits for a core more
/// often than the raw chain does; this shows how much of the machine the runs used, and which process used it.
/// </summary>
internal sealed class CpuUsage
{
    private readonly Dictionary<int, (string Name, long Ticks)> _start;
    private readonly Stopwatch _clock;

    private CpuUsage(Dictionary<int, (string Name, long Ticks)> start)
    {
        _start = start;
        _clock = Stopwatch.StartNew();
    }

    /// <summary>Null where /proc is not there (not Linux): the bench then prints no CPU line.</summary>
    public static CpuUsage? Start() => File.Exists("/proc/stat") ? new CpuUsage(Snapshot()) : null;

    /// <returns>One line: the CPU time of all processes per second of the measured runs, against the cores' capacity, and the busiest processes.</returns>
    public string Report(int busiest)
    {
        var seconds = _clock.Elapsed.TotalSeconds;
        var used = Snapshot()
            .Select(p => (p.Value.Name, Milliseconds: (p.Value.Ticks - (_start.TryGetValue(p.Key, out var before) ? before.Ticks : 0)) * TickMilliseconds / seconds))
            .Where(p => p.Milliseconds > 0)
            .OrderByDescending(p => p.Milliseconds)
            .ToList();
        var top = string.Join(", ", used.Take(busiest).Select(p => $"{p.Name} {p.Milliseconds:0}"));
        return $"CPU during the runs: {used.Sum(p => p.Milliseconds):0} ms per second of the {Environment.ProcessorCount * 1000} the " +
            $"{Environment.ProcessorCount} cores have; busiest (ms per second): {top}";
    }

    /// <summary>Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every architecture .NET runs on.</summary>
    private const double TickMilliseconds = 10.0;

    private static Dictionary<int, (string Name, long Ticks)> Snapshot()
    {
        var result = new Dictionary<int, (string Name, long Ticks)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid … utime stime: fields 14 and 15, counted after the parenthesised name (it may hold spaces).
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                result[pid] = (NameOf(directory, stat), long.Parse(fields[11]) + long.Parse(fields[12]));
            }
            catch (IOException)
            {
                // The process ended between the listing and the read.
            }
        }

        return result;
    }

    /// <summary>The executable's file name (a .NET service's assembly, or moto_server rather than python), else the kernel's name.</summary>
    private static string NameOf(string directory, string stat)
    {
        var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0', StringSplitOptions.RemoveEmptyEntries);
        var program = arguments.FirstOrDefault(a => a.Contains("moto_server", StringComparison.Ordinal)) ?? arguments.FirstOrDefault();
        if (program is not null && Path.GetFileName(program) is { Length: > 0 } name && name != "dotnet")
        {
            return name.StartsWith("SurgiCase.", StringComparison.Ordinal) ? name["SurgiCase.".Length..] : name;
        }

        var open = stat.IndexOf('(');
        return stat[(open + 1)..stat.LastIndexOf(')')];
    }
}
