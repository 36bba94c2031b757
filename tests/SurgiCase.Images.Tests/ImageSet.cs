using System.Diagnostics;
using System.Reflection;
using SurgiCase.Testing.Containers;

namespace SurgiCase.Images.Tests;

/// <summary>
/// The four images under test. From the folder named by SURGICASE_TEST_IMAGES (CI builds them there first with
/// deploy/images/build.sh), else built now, offline, on the Debian base into a temp folder, which takes minutes.
/// Each image's root file system is unpacked once and shared by the containers started from it (read-only).
/// </summary>
public sealed class ImageSet(bool requireAll = true) : IAsyncLifetime
{
    public const string ImagesVariable = "SURGICASE_TEST_IMAGES";

    public static readonly string[] Services = ["scheduler-service", "notification-service", "secrets-service", "api-simulator"];

    private readonly Dictionary<string, OciImage> _images = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _rootfs = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _unpacking = new(1, 1);
    private string _work = null!;

    public static string RepositoryRoot { get; } = typeof(ImageSet).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!;

    public OciImage this[string service] => _images[service];

    /// <summary>The services whose archives were found (all four unless created with requireAll: false).</summary>
    public IEnumerable<string> Loaded => _images.Keys;

    public async Task InitializeAsync()
    {
        _work = Directory.CreateTempSubdirectory("surgicase-images-").FullName;
        var folder = Environment.GetEnvironmentVariable(ImagesVariable);
        if (string.IsNullOrWhiteSpace(folder))
        {
            folder = Path.Combine(_work, "archives");
            try
            {
                await BuildAsync(folder);
            }
            catch
            {
                // xunit does not dispose a fixture whose initialization failed.
                Directory.Delete(_work, recursive: true);
                throw;
            }
        }

        foreach (var service in Services)
        {
            var archive = Path.Combine(folder, service + ".tar");
            if (!File.Exists(archive) && !requireAll)
            {
                continue;
            }

            if (!File.Exists(archive))
            {
                throw new InvalidOperationException($"{archive} is missing: {ImagesVariable} must name the OUTDIR of deploy/images/build.sh.");
            }

            _images[service] = OciImage.Load(archive);
        }
    }

    /// <summary>The unpacked root file system of an image, unpacked on first use.</summary>
    public async Task<string> RootfsAsync(string service)
    {
        await _unpacking.WaitAsync();
        try
        {
            if (!_rootfs.TryGetValue(service, out var rootfs))
            {
                rootfs = Path.Combine(_work, "rootfs", service);
                _images[service].Unpack(rootfs);
                _rootfs[service] = rootfs;
            }

            return rootfs;
        }
        finally
        {
            _unpacking.Release();
        }
    }

    public async Task<ChrootContainer> StartAsync(string service, IReadOnlyDictionary<string, string> environment) =>
        ChrootContainer.Start(service, await RootfsAsync(service), _images[service].Config, environment);

    public Task DisposeAsync()
    {
        Directory.Delete(_work, recursive: true);
        _unpacking.Dispose();
        return Task.CompletedTask;
    }

    private static async Task BuildAsync(string folder)
    {
        var missing = new[] { "debootstrap", "umoci", "skopeo", "docker-registry" }
            .Where(tool => !Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(dir => File.Exists(Path.Combine(dir, tool))))
            .ToList();
        if (Environment.UserName != "root" || missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The image tests need images: set {ImagesVariable} to the OUTDIR of `deploy/images/build.sh OUTDIR --base debian`, "
                + "or run the tests as root with debootstrap, umoci, skopeo and docker-registry installed so they build them "
                + $"(missing: {(Environment.UserName != "root" ? "root" : string.Join(", ", missing))}).");
        }

        var start = new ProcessStartInfo(Path.Combine(RepositoryRoot, "deploy/images/build.sh"), [folder, "--base", "debian"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host's own MSBuild and test-platform settings must not steer the SDK that build.sh runs.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("VSTEST", StringComparison.Ordinal) || k.StartsWith("TESTINGPLATFORM", StringComparison.Ordinal)
            || k == "DOTNET_HOST_PATH").ToList())
        {
            start.Environment.Remove(key);
        }

        using var build = Process.Start(start)!;
        var output = build.StandardOutput.ReadToEndAsync();
        var error = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/images/build.sh failed ({build.ExitCode}):\n{await output}\n{await error}");
        }
    }
}
