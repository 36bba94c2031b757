using System.Net.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Clients that carry a key (a default <c>X-Api-Key</c> header, a secret URL) must not follow redirects: .NET drops
/// only <c>Authorization</c> on a redirect, so any other header goes on to whatever host the answer names.
/// </summary>
public static class HttpRedirectExtensions
{
    /// <summary>Turns automatic redirects off on the client's primary handler; a 3xx comes back to the caller as is.</summary>
    public static IHttpClientBuilder WithoutRedirects(this IHttpClientBuilder builder) =>
        builder.ConfigurePrimaryHttpMessageHandler(static (handler, _) =>
        {
            switch (handler)
            {
                case SocketsHttpHandler sockets:
                    sockets.AllowAutoRedirect = false;
                    break;
                case HttpClientHandler classic:
                    classic.AllowAutoRedirect = false;
                    break;
            }
        });
}
