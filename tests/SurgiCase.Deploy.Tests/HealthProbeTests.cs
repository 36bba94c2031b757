using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace SurgiCase.Deploy.Tests;

/// <summary>
/// The container health check as the template states it, run by bash against a real Kestrel: healthy on a 200 from
/// /alive (liveness), unhealthy on a 503 or when nothing listens. (The port is the one difference: a free one instead of 8080.)
/// </summary>
[Collection(StackCollection.Name)]
public sealed class HealthProbeTests
{
    [Fact]
    public async Task The_probe_passes_on_200_and_fails_on_503_or_a_closed_port()
    {
        var command = SynthesizedStack.Default.Json.Service("scheduler-service").App["HealthCheck"]!["Command"]!.AsArray()
            .Select(c => (string)c!).ToList();
        Assert.Equal(["CMD", "bash", "-c"], command.Take(3));
        var status = HttpStatusCode.OK;
        var port = FreePort();
        var script = command[3].Replace("/dev/tcp/127.0.0.1/8080", $"/dev/tcp/127.0.0.1/{port}", StringComparison.Ordinal);
        Assert.NotEqual(command[3], script);

        await using (var app = await StartAsync(port, () => status))
        {
            Assert.Equal(0, await RunBashAsync(script));
            status = HttpStatusCode.ServiceUnavailable;
            Assert.NotEqual(0, await RunBashAsync(script));
        }

        Assert.NotEqual(0, await RunBashAsync(script));
    }

    private static async Task<WebApplication> StartAsync(int port, Func<HttpStatusCode> status)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/alive", () => Results.StatusCode((int)status()));
        // Readiness failing (a dependency down) must not fail the container check.
        app.MapGet("/health", () => Results.StatusCode(503));
        await app.StartAsync();
        return app;
    }

    private static async Task<int> RunBashAsync(string script)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { "-c", script }, RedirectStandardError = true })!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await bash.WaitForExitAsync(deadline.Token);
        return bash.ExitCode;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
