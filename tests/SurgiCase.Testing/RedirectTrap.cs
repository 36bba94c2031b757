using System.Collections.Concurrent;
using System.Net;

namespace SurgiCase.Testing;

/// <summary>
/// Two real loopback listeners: <see cref="Url"/> answers every request with a redirect (302 by default) to the
/// other one, which records the headers of whatever reaches it. A client that follows redirects hands its
/// <c>X-Api-Key</c> (or its body) to that second host; one that does not leaves <see cref="Captured"/> empty.
/// </summary>
public sealed class RedirectTrap : IDisposable
{
    private readonly HttpListener _redirector = new();
    private readonly HttpListener _elsewhere = new();
    private readonly Task[] _loops;
    private int _redirects;

    public RedirectTrap(HttpStatusCode status = HttpStatusCode.Found)
    {
        Url = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}/");
        Elsewhere = new Uri($"http://127.0.0.1:{MotoServer.FreeTcpPort()}/");
        _redirector.Prefixes.Add(Url.ToString());
        _elsewhere.Prefixes.Add(Elsewhere.ToString());
        _redirector.Start();
        _elsewhere.Start();
        _loops =
        [
            Serve(_redirector, context =>
            {
                Interlocked.Increment(ref _redirects);
                context.Response.StatusCode = (int)status;
                context.Response.RedirectLocation = new Uri(Elsewhere, "captured" + context.Request.Url!.PathAndQuery).ToString();
            }),
            Serve(_elsewhere, context =>
            {
                Captured.Enqueue(context.Request.Headers.AllKeys
                    .Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase));
                context.Response.StatusCode = 200;
            }),
        ];
    }

    /// <summary>The address that redirects; point the client under test here.</summary>
    public Uri Url { get; }

    /// <summary>The other host the redirect names.</summary>
    public Uri Elsewhere { get; }

    /// <summary>How many requests the redirecting address answered.</summary>
    public int Redirects => Volatile.Read(ref _redirects);

    /// <summary>The headers of every request that reached <see cref="Elsewhere"/>.</summary>
    public ConcurrentQueue<IReadOnlyDictionary<string, string>> Captured { get; } = new();

    private static Task Serve(HttpListener listener, Action<HttpListenerContext> answer) => Task.Run(async () =>
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Read the body so a client that sends one is not reset before it sees the answer.
            await context.Request.InputStream.CopyToAsync(Stream.Null);
            answer(context);
            context.Response.Close();
        }
    });

    public void Dispose()
    {
        // Close alone: on Linux, Stop() unbinds the port and a Close() after it binds it again to remove the prefixes,
        // which fails with "Address already in use" when another test took the free port meanwhile.
        foreach (var listener in new[] { _redirector, _elsewhere })
        {
            listener.Close();
        }

        Task.WaitAll(_loops, TimeSpan.FromSeconds(5));
    }
}
