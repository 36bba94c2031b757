using System.Net;
using System.Text;
using System.Threading.Channels;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>A real local HTTP endpoint standing in for a Slack incoming webhook; records what it receives.</summary>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<string> _bodies = Channel.CreateUnbounded<string>();
    private readonly Task _loop;

    public WebhookListener(HttpStatusCode answer = HttpStatusCode.OK)
    {
        Url = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}/hooks/alerts/");
        _listener.Prefixes.Add(Url.ToString());
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                await _bodies.Writer.WriteAsync(await reader.ReadToEndAsync());
                context.Response.StatusCode = (int)answer;
                context.Response.Close();
            }
        });
    }

    public Uri Url { get; }

    public List<string> Received { get; } = [];

    /// <summary>Everything received so far (the sender has already had its answer when this is called).</summary>
    public IReadOnlyList<string> Drain()
    {
        while (_bodies.Reader.TryRead(out var body))
        {
            Received.Add(body);
        }

        return Received;
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
