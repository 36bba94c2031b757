using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Instrumentation.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>Wires <see cref="SecretPathRedactor"/> into logging (every provider) and into the HTTP spans (url.path, url.full).</summary>
internal static class RedactionExtensions
{
    public static void AddSecretPathRedaction(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new SecretPathRedactor(sp.GetServices<SecretPathPrefix>()));
        // The factory logging registered; built by the container as before, then wrapped.
        services.TryAddSingleton<LoggerFactory>();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new RedactingLoggerFactory(sp.GetRequiredService<LoggerFactory>(), sp.GetRequiredService<SecretPathRedactor>())));

        services.AddOptions<AspNetCoreTraceInstrumentationOptions>().Configure<SecretPathRedactor>((options, redactor) =>
        {
            var previous = options.EnrichWithHttpRequest;
            options.EnrichWithHttpRequest = (activity, request) =>
            {
                previous?.Invoke(activity, request);
                var path = (request.PathBase + request.Path).Value;
                if (redactor.Holds(path))
                {
                    activity.SetTag("url.path", redactor.Redact(path!));
                }
            };
        });
        services.AddOptions<HttpClientTraceInstrumentationOptions>().Configure<SecretPathRedactor>((options, redactor) =>
        {
            var previous = options.EnrichWithHttpRequestMessage;
            options.EnrichWithHttpRequestMessage = (activity, request) =>
            {
                previous?.Invoke(activity, request);
                if (request.RequestUri is { } uri && redactor.Holds(uri.OriginalString))
                {
                    activity.SetTag("url.full", redactor.Redact(uri.OriginalString));
                }
            };
        });
    }
}
