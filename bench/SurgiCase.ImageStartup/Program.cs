using System.Diagnostics;
using System.Globalization;
using SurgiCase.Images.Tests;
using SurgiCase.ImageStartup;
using SurgiCase.Testing.Containers;

// Image sizes and start-to-healthy times of the images in one or more build.sh output folders, against the same
// services started with `dotnet` from their build output, interleaved in one run so machine load hits all alike.
//   dotnet run -c Release --project bench/SurgiCase.ImageStartup -- 5 r2r=/tmp/images [jit=/tmp/images-jit ...]
var runs = int.Parse(args[0], CultureInfo.InvariantCulture);
var variants = args.Skip(1).Select(a => a.Split('=', 2)).Select(p => (Label: p[0], Folder: Path.GetFullPath(p[1]))).ToList();
if (Environment.UserName != "root" || variants.Count == 0)
{
    Console.Error.WriteLine("usage (as root): SurgiCase.ImageStartup RUNS label=IMAGES_FOLDER [label=IMAGES_FOLDER ...]");
    return 2;
}

Environment.SetEnvironmentVariable(ImageSet.ImagesVariable, variants[0].Folder);
var stack = new ImageStack();
await stack.InitializeAsync();
var sets = new List<(string Label, ImageSet Images)>();
foreach (var (label, folder) in variants)
{
    Environment.SetEnvironmentVariable(ImageSet.ImagesVariable, folder);
    var set = new ImageSet(requireAll: false);
    await set.InitializeAsync();
    sets.Add((label, set));
}

var baselineRoot = Directory.CreateTempSubdirectory("surgicase-baseline-").FullName;
try
{
    Console.WriteLine("| service | image | compressed MB | unpacked MB |");
    Console.WriteLine("|---|---|---:|---:|");
    foreach (var service in ImageSet.Services)
    {
        foreach (var (label, set) in sets.Where(s => s.Images.Loaded.Contains(service)))
        {
            var unpacked = OciImage.UnpackedBytes(await set.RootfsAsync(service));
            Console.WriteLine($"| {service} | {label} | {Mb(set[service].CompressedBytes)} | {Mb(unpacked)} |");
        }
    }

    Console.WriteLine();
    Console.WriteLine($"| service | start | median ms | min ms | max ms | ratio to dotnet |");
    Console.WriteLine("|---|---|---:|---:|---:|---:|");
    foreach (var service in ImageSet.Services)
    {
        var dll = DotnetBaseline.Build(service, baselineRoot);
        var present = sets.Where(s => s.Images.Loaded.Contains(service)).ToList();
        var times = new Dictionary<string, List<double>> { ["dotnet"] = [] };
        present.ForEach(s => times[s.Label] = []);
        for (var run = 0; run < runs; run++)
        {
            // Alternate which goes first, so a warm page cache or a busy neighbour favours no side.
            var order = run % 2 == 0 ? present.Select(s => s.Label).Prepend("dotnet") : present.Select(s => s.Label).Append("dotnet");
            foreach (var label in order)
            {
                var environment = await stack.EnvironmentAsync(service, ImageStack.NewPort());
                times[label].Add(label == "dotnet"
                    ? await TimeDotnetAsync(stack, dll, environment)
                    : await TimeImageAsync(stack, present.Single(s => s.Label == label).Images, service, environment));
            }
        }

        var baseline = Median(times["dotnet"]);
        foreach (var (label, values) in times)
        {
            Console.WriteLine(values.Any(double.IsNaN)
                ? $"| {service} | {label} | did not start | | | |"
                : $"| {service} | {label} | {Median(values):0} | {values.Min():0} | {values.Max():0} | {Median(values) / baseline:0.00} |");
        }
    }
}
finally
{
    Directory.Delete(baselineRoot, recursive: true);
    foreach (var (_, set) in sets)
    {
        await set.DisposeAsync();
    }

    await stack.DisposeAsync();
}

return 0;

static async Task<double> TimeImageAsync(ImageStack stack, ImageSet images, string service, Dictionary<string, string> environment)
{
    var rootfs = await images.RootfsAsync(service);
    var clock = Stopwatch.StartNew();
    await using var container = ChrootContainer.Start(service, rootfs, images[service].Config, environment);
    try
    {
        await container.WaitForHealthyAsync(stack.Http, TimeSpan.FromSeconds(60));
    }
    catch (Exception e) when (e is InvalidOperationException or TimeoutException)
    {
        // A variant that does not start (e.g. trimmed too much) is a result, not a crash of the harness.
        Console.Error.WriteLine($"{service} did not become healthy: {container.Tail(3)}");
        return double.NaN;
    }

    var elapsed = clock.Elapsed.TotalMilliseconds;
    container.Terminate();
    await container.WaitForExitAsync(TimeSpan.FromSeconds(30));
    return elapsed;
}

static async Task<double> TimeDotnetAsync(ImageStack stack, string dll, Dictionary<string, string> environment)
{
    var clock = Stopwatch.StartNew();
    using var process = DotnetBaseline.Start(dll, environment);
    var port = int.Parse(environment["ASPNETCORE_HTTP_PORTS"], CultureInfo.InvariantCulture);
    await HealthPoller.WaitHealthyAsync(stack.Http, new Uri($"http://127.0.0.1:{port}/"), () => process.HasExited, TimeSpan.FromSeconds(120));
    var elapsed = clock.Elapsed.TotalMilliseconds;
    using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
    {
        await kill.WaitForExitAsync();
    }

    await process.WaitForExitAsync();
    return elapsed;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);
