using System.Diagnostics;
using System.Net;
using System.Text;
using System.Threading.Channels;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>A real local HTTP endpoint standing in for a Slack incoming webhook; records what it receives.</summary>
/// <param name="answer">The status of every answer after <paramref name="firstAnswers"/>.</param>
/// <param name="path">The URL's path, e.g. a Slack-style token path.</param>
/// <param name="firstAnswers">Statuses of the first requests, in order.</param>
/// <param name="hang">Never answer (the request stays open until disposal), to exercise the sender's timeout.</param>
internal sealed class WebhookListener : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<string> _bodies = Channel.CreateUnbounded<string>();
    private readonly Task _loop;
    private long _lastArrival;

    public WebhookListener(
        HttpStatusCode answer = HttpStatusCode.OK, string path = "/hooks/alerts/", HttpStatusCode[]? firstAnswers = null, bool hang = false)
    {
        var answers = new Queue<HttpStatusCode>(firstAnswers ?? []);
        Url = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}{path}");
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

                Volatile.Write(ref _lastArrival, Stopwatch.GetTimestamp());
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                await _bodies.Writer.WriteAsync(await reader.ReadToEndAsync());
                if (hang)
                {
                    continue;
                }

                context.Response.StatusCode = (int)(answers.TryDequeue(out var first) ? first : answer);
                context.Response.Close();
            }
        });
    }

    public Uri Url { get; }

    /// <summary>When the latest request arrived, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long LastArrival => Volatile.Read(ref _lastArrival);

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
        // Close alone, as in RedirectTrap: Stop() then Close() binds the port again on Linux.
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
