using System.Diagnostics;
using System.Net;
using System.Reflection;

namespace SurgiCase.SchedulerService.Tests;

/// <summary>
/// The page's stylesheet and script, from the SurgiCase.Operations library's wwwroot, answer without signing in: in-process
/// as in development, and from <c>dotnet publish</c> output run in Production, as the services' container images run.
/// </summary>
public sealed class OperationsAssetsTests : IAsyncLifetime
{
    private static readonly (string Path, string ContentType, string SourceFile)[] Assets =
    [
        ("/ops/assets/operations.css", "text/css", "operations.css"),
        ("/ops/assets/operations.js", "text/javascript", "operations.js"),
    ];

    private readonly SimulatorHost _simulator = new();
    private readonly string _scratch = Path.Combine(Path.GetTempPath(), "surgicase-published-scheduler", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => _simulator.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        if (Directory.Exists(_scratch))
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }

    [Fact]
    public async Task The_stylesheet_and_script_are_served_to_anyone()
    {
        using var app = new SchedulerApp(_simulator.BaseAddress);
        using var client = app.CreateClient();

        await AssertServedAsync(client);
    }

    [Fact]
    public async Task A_published_scheduler_serves_them_in_Production()
    {
        var published = Path.Combine(_scratch, "publish");
        await PublishSchedulerAsync(published);
        var folder = SchedulerProcess.OutputDirectory();
        var settings = new Dictionary<string, string>
        {
            ["Scheduler__DataDirectory"] = Path.Combine(_scratch, "data"),
            ["Operations__BreakGlassKeySignIn"] = "true",
            ["Authentication__ApiKeys__operator"] = "published-operator-key-0123456789abcdef",
            ["DataProtection__KeyEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            ["SurgiCaseApi__ApiKeySecretName"] = "",
            ["SurgiCaseApi__BaseAddress"] = _simulator.BaseAddress.ToString(),
            // Nothing is published (every job is off), and a mistake would not reach real AWS.
            ["Aws__ServiceUrl"] = "http://127.0.0.1:9",
            ["Aws__Region"] = "us-east-1",
            // Behind the load balancer that terminates TLS, as the README asks outside Development (Secure cookies).
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        for (var i = 0; i < SchedulerProcess.ShippedJobCount(folder); i++)
        {
            settings[$"Scheduler__Jobs__{i}__enabled"] = "false";
        }

        await using var scheduler = SchedulerProcess.Start("published", settings, published);
        await scheduler.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var client = new HttpClient { BaseAddress = scheduler.BaseAddress };

        await AssertServedAsync(client);
        // The sign-in page, which links them, renders as it would behind that load balancer.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signin") { Headers = { { "X-Forwarded-Proto", "https" } } };
        using var signIn = await client.SendAsync(request);
        Assert.True(signIn.IsSuccessStatusCode, scheduler.Log());
        Assert.Contains("""<link rel="stylesheet" href="/ops/assets/operations.css" />""", await signIn.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    /// <summary>Each file, byte for byte as in the library's wwwroot, with its type, nosniff and an ETag.</summary>
    private static async Task AssertServedAsync(HttpClient client)
    {
        foreach (var (path, contentType, sourceFile) in Assets)
        {
            using var response = await client.GetAsync(path);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.NotNull(response.Headers.ETag);
            var source = Path.Combine(Path.GetDirectoryName(Metadata("SchedulerServiceProject"))!, "..", "SurgiCase.Operations", "wwwroot", sourceFile);
            Assert.Equal(await File.ReadAllTextAsync(source), await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary><c>dotnet publish --no-build</c> of the scheduler the tests were built with, as a container build would publish it.</summary>
    private static async Task PublishSchedulerAsync(string output)
    {
        var start = new ProcessStartInfo("dotnet",
            ["publish", Metadata("SchedulerServiceProject"), "--no-build", "-c", Metadata("BuildConfiguration"), "-o", output, "--nologo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await publish.WaitForExitAsync(deadline.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");
    }

    private static string Metadata(string key) =>
        typeof(OperationsAssetsTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test assembly lacks its {key} metadata (see the test csproj).");
}
