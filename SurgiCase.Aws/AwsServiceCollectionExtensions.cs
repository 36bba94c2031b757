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
    /// Registers <see cref="ISecretsManagerClient"/>, without retries: callers decide them (and fall back to stale values).
    /// Extra handlers for tests: <see cref="AwsHttpHandlers.AddAwsHttpHandler"/> with <see cref="AwsServiceNames.SecretsManager"/>.
    /// </summary>
    public static IServiceCollection AddSecretsManagerClient(this IServiceCollection services) =>
        services.AddAwsClient<ISecretsManagerClient, SecretsManagerClient>(AwsServiceNames.SecretsManager, o => o.SecretsManagerEndpoint);

    /// <summary>
    /// Registers <see cref="ISesEmailClient"/>, without retries (a retried send can deliver an email twice; the caller
    /// owns that decision), and <see cref="SesOptions"/> from <c>Aws:Ses</c>, validated at start-up. Extra handlers:
    /// <see cref="AwsHttpHandlers.AddAwsHttpHandler"/> with <see cref="AwsServiceNames.Ses"/>.
    /// </summary>
    public static IServiceCollection AddSesEmailClient(this IServiceCollection services)
    {
        services.AddOptions<SesOptions>().BindConfiguration(SesOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SesOptions>, SesOptionsValidator>());
        return services.AddAwsClient<ISesEmailClient, SesEmailClient>(AwsServiceNames.Ses, o => o.SesEndpoint);
    }

    private static IServiceCollection AddAwsClient<TClient, TImplementation>(
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
                signingService))
            .ConfigureAdditionalHttpMessageHandlers((handlers, sp) =>
            {
                foreach (var handler in AwsHttpHandlers.Create(sp, signingService))
                {
                    handlers.Add(handler);
                }
            });

        return services;
    }

    private sealed class AwsOptionsMarker;
}
