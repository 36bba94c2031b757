using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.Aws;

namespace Microsoft.Extensions.DependencyInjection;

public static class AwsServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="AwsOptions"/> from the <c>Aws</c> section, validated at start-up. Safe to call more than once.
    /// </summary>
    public static IServiceCollection AddAwsOptions(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(AwsOptionsMarker)))
        {
            return services;
        }

        services.AddSingleton<AwsOptionsMarker>();
        services.AddOptions<AwsOptions>().BindConfiguration(AwsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AwsOptions>, AwsOptionsValidator>();
        services.TryAddSingleton<AwsCredentialsSource>();
        return services;
    }

    /// <summary>
    /// Registers <see cref="ISecretsManagerClient"/> as a typed HttpClient. The returned builder has no
    /// resilience handler: callers decide retries (and fall back to stale values).
    /// </summary>
    public static IHttpClientBuilder AddSecretsManagerClient(this IServiceCollection services) =>
        services.AddAwsClient<ISecretsManagerClient, SecretsManagerClient>(SecretsManagerClient.ServiceName, o => o.SecretsManagerEndpoint);

    /// <summary>
    /// Registers <see cref="ISesEmailClient"/> as a typed HttpClient, without a resilience handler
    /// (a retried send can deliver an email twice; the caller owns that decision).
    /// </summary>
    public static IHttpClientBuilder AddSesEmailClient(this IServiceCollection services) =>
        services.AddAwsClient<ISesEmailClient, SesEmailClient>(SesEmailClient.ServiceName, o => o.SesEndpoint);

    private static IHttpClientBuilder AddAwsClient<TClient, TImplementation>(
        this IServiceCollection services, string signingService, Func<AwsOptions, Uri> endpoint)
        where TClient : class
        where TImplementation : class, TClient
    {
        services.AddAwsOptions();
        var builder = services.AddHttpClient<TClient, TImplementation>((sp, client) =>
        {
            var options = sp.GetRequiredService<IOptions<AwsOptions>>().Value;
            client.BaseAddress = endpoint(options);
            client.Timeout = options.RequestTimeout;
        });

        builder
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                // A redirect followed below the signer would go out with a stale or stripped signature.
                AllowAutoRedirect = false,
            })
            .AddHttpMessageHandler(sp => new AwsSigningHandler(
                sp.GetRequiredService<AwsCredentialsSource>().Credentials,
                sp.GetRequiredService<IOptions<AwsOptions>>().Value.Region,
                signingService));

        return builder;
    }

    private sealed class AwsOptionsMarker;
}
