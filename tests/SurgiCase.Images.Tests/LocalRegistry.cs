using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using SurgiCase.Testing;

namespace SurgiCase.Images.Tests;

/// <summary>
/// A throwaway docker-registry (Debian's distribution registry) on a free loopback port, storage in a temp folder.
/// Named localhost:PORT, so the .NET SDK speaks plain HTTP to it; skopeo needs --tls-verify=false.
/// </summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private static readonly string[] ManifestTypes =
    [
        "application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http;

    private LocalRegistry(Process process, string folder, int port)
    {
        _process = process;
        _folder = folder;
        Host = "localhost:" + port.ToString(CultureInfo.InvariantCulture);
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>localhost:PORT, as image references name it.</summary>
    public string Host { get; }

    public static async Task<LocalRegistry> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("surgicase-registry-").FullName;
        var port = MotoServer.FreeTcpPort();
        var config = Path.Combine(folder, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log: {"{"} level: error {"}"}
            storage: {"{"} filesystem: {"{"} rootdirectory: {Path.Combine(folder, "storage")} {"}"} {"}"}
            http: {"{"} addr: 127.0.0.1:{port} {"}"}
            """);
        var process = Process.Start(new ProcessStartInfo("docker-registry", ["serve", config])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var registry = new LocalRegistry(process, folder, port);
        // Its first answer to /v2/ is the signal that it serves; polled between short pauses, as the health poller does.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && !process.HasExited)
        {
            try
            {
                using var response = await registry._http.GetAsync("v2/");
                if (response.IsSuccessStatusCode)
                {
                    return registry;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25));
        }

        var log = process.HasExited ? await process.StandardError.ReadToEndAsync() : "";
        await registry.DisposeAsync();
        throw new InvalidOperationException($"docker-registry did not answer on {registry.Host}: {log}");
    }

    /// <summary>The tags a repository holds (GET /v2/NAME/tags/list); none when the repository does not exist.</summary>
    public async Task<IReadOnlyList<string>> TagsAsync(string repository)
    {
        using var response = await _http.GetAsync($"v2/{repository}/tags/list");
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("tags") is { ValueKind: JsonValueKind.Array } tags
            ? tags.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [];
    }

    /// <summary>The digest of the manifest (or index) a tag or digest names, as the registry stores it.</summary>
    public async Task<string> DigestAsync(string repository, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, $"v2/{repository}/manifests/{reference}");
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        using var response = await _http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _http.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
