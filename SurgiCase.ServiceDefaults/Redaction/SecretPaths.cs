using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A path prefix whose next segment is a secret (an emailed acknowledge link's token: <c>/ack/{token}</c>). Every log
/// record, log scope and span of the service shows that segment as <see cref="SecretPaths.Placeholder"/>.
/// </summary>
public sealed record SecretPathPrefix(string Prefix);

/// <summary>Registration of <see cref="SecretPathPrefix"/>es; <see cref="ServiceDefaultsExtensions.AddServiceDefaults{TBuilder}"/> applies them.</summary>
public static class SecretPaths
{
    /// <summary>What the secret segment becomes, the route template's own spelling of it.</summary>
    public const string Placeholder = "{token}";

    /// <summary>Keeps the segment after <paramref name="prefix"/> (e.g. <c>/ack</c>) out of logs and traces.</summary>
    public static IServiceCollection AddSecretPathPrefix(this IServiceCollection services, string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        var entry = new SecretPathPrefix(prefix.TrimEnd('/'));
        if (!services.Any(d => d.ServiceType == typeof(SecretPathPrefix) && Equals(d.ImplementationInstance, entry)))
        {
            services.AddSingleton(entry);
        }

        return services;
    }
}

/// <summary>Finds and masks the secret segments of <see cref="SecretPathPrefix"/>es in any text (a path, a URL, a message).</summary>
public sealed class SecretPathRedactor
{
    private readonly string[] _markers;
    private readonly Regex? _segment;

    public SecretPathRedactor(IEnumerable<SecretPathPrefix> prefixes)
    {
        ArgumentNullException.ThrowIfNull(prefixes);
        // Routing matches paths case-insensitively, so /ACK/{token} is the same link and must be masked too. The prefix is
        // matched wherever a segment starts, with or without its slash: a route value is logged as "ack/<token>".
        _markers = prefixes.Select(p => p.Prefix.Trim('/') + "/").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _segment = _markers.Length == 0
            ? null
            : new Regex($"(?<=(?<![A-Za-z0-9_.~%-])(?:{string.Join('|', _markers.Select(Regex.Escape))}))[^/?#\\s\"'<>]+",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public bool IsEmpty => _segment is null;

    /// <summary>Whether <paramref name="text"/> may hold a secret segment (a cheap test before <see cref="Redact"/>).</summary>
    public bool Holds(string? text)
    {
        if (text is null || _segment is null)
        {
            return false;
        }

        foreach (var marker in _markers)
        {
            if (text.Contains(marker, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="text"/> with every secret segment replaced by <see cref="SecretPaths.Placeholder"/>.</summary>
    public string Redact(string text) => Holds(text) ? _segment!.Replace(text, SecretPaths.Placeholder) : text;
}
