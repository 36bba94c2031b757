using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace SurgiCase.Testing;

/// <summary>
/// A real moto_server on a free loopback port, for the life of a test collection.
/// Use as an xunit fixture; <see cref="ResetAsync"/> clears its state between tests.
/// </summary>
public sealed class MotoServer : IAsyncLifetime
{
    private Process? _process;

    public int Port { get; private set; }

    public Uri Url => new($"http://127.0.0.1:{Port}");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        Port = FreeTcpPort();
        await StartAsync();
    }

    /// <summary>Starts moto again on the same port (after <see cref="StopAsync"/>); its state is empty.</summary>
    public async Task StartAsync()
    {
        var startInfo = new ProcessStartInfo("moto_server", ["-H", "127.0.0.1", "-p", Port.ToString()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            _process = Process.Start(startInfo) ?? throw new InvalidOperationException("moto_server did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("moto_server is not installed: pip install \"moto[server]\"", e);
        }

        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var response = await Http.GetAsync(new Uri(Url, "/moto-api/"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"moto_server exited with code {_process.ExitCode}.");
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"moto_server did not answer on {Url} within 30 s.");
    }

    /// <summary>Kills moto, e.g. to show what happens while AWS is unreachable.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync(new Uri(Url, "/moto-api/reset"), null);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The emails SES accepted, from moto's backend state.</summary>
    public Task<IReadOnlyList<SentEmail>> GetSentEmailsAsync() => MotoAdmin.GetSentEmailsAsync(Http, Url);

    public async Task DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

