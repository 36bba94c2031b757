using System.Net;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// An address a service calls or hands out must be https outside Development (issue 18.6): the scheduler's calls carry
/// the SurgiCase API's key, and an emailed link carries an acknowledge token. Plain http to a loopback address stays
/// allowed: it never leaves the host (a sidecar or tunnel terminates TLS), and the tests' stand-ins listen there.
/// </summary>
public sealed class HttpsOutsideDevelopment<TOptions>(IHostEnvironment environment, string key, Func<TOptions, Uri?> address)
    : IValidateOptions<TOptions> where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        if (environment.IsDevelopment() || address(options) is not { IsAbsoluteUri: true } uri || IsAllowed(uri))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail($"{key} must be an https URL outside Development (it is {uri.Scheme}://{uri.Authority}).");
    }

    /// <summary>https, or http to localhost or a loopback IP address.</summary>
    public static bool IsAllowed(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps
        || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var ip) && IPAddress.IsLoopback(ip))));
}
