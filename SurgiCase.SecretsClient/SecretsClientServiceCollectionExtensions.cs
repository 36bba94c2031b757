using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.SecretsClient;

namespace Microsoft.Extensions.DependencyInjection;

public static class SecretsClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ISecretsClient"/> as a typed HttpClient for the SecretsService, configured from the
    /// <c>SecretsClient</c> section (BaseAddress, ApiKey, Timeout, ConnectRetries; validated at start-up). No resilience
    /// handler: a standard one retries for up to ~14 s, while this client has a last-known-good copy to serve at once;
    /// its deadline and single retry live in SecretsHttpClient.
    /// </summary>
    public static IHttpClientBuilder AddSecretsClient(this IServiceCollection services)
    {
        services.AddOptions<SecretsClientOptions>().BindConfiguration(SecretsClientOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SecretsClientOptions>, SecretsClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<LastKnownGoodSecrets>();
        return services.AddHttpClient<ISecretsClient, SecretsHttpClient>((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SecretsClientOptions>>().Value;
                client.BaseAddress = options.BaseAddress;
                client.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);
                // SecretsHttpClient enforces SecretsClient:Timeout over both attempts itself.
                client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            })
            // The key is a default header: a redirect followed would hand it to whatever host the answer names.
            // (This library does not use ServiceDefaults, whose WithoutRedirects does the same for the services' clients.)
            .ConfigurePrimaryHttpMessageHandler(static (handler, _) =>
            {
                if (handler is SocketsHttpHandler sockets)
                {
                    sockets.AllowAutoRedirect = false;
                }
            });
    }
}
