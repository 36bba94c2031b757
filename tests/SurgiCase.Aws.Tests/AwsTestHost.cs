using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SurgiCase.Aws;

namespace SurgiCase.Aws.Tests;

/// <summary>A DI container wired the way a service wires it: configuration section "Aws" plus the extension methods.</summary>
internal sealed class AwsTestHost : IDisposable
{
    private readonly ServiceProvider _provider;

    public AwsTestHost(
        Uri? serviceUrl,
        string accessKeyId = "test",
        string secretAccessKey = "test",
        TimeSpan? requestTimeout = null,
        Action<IServiceCollection>? configureServices = null,
        Func<DelegatingHandler>? handler = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = serviceUrl?.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = accessKeyId,
            ["Aws:SecretAccessKey"] = secretAccessKey,
        };
        if (requestTimeout is { } timeout)
        {
            settings["Aws:RequestTimeout"] = timeout.ToString();
        }

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        services.AddLogging();
        configureServices?.Invoke(services);
        services.AddSecretsManagerClient();
        services.AddSesEmailClient();
        if (handler is not null)
        {
            // The transport-neutral hook: in front of each service's calls, whichever client makes them.
            services.AddAwsHttpHandler(AwsServiceNames.SecretsManager, _ => handler());
            services.AddAwsHttpHandler(AwsServiceNames.Ses, _ => handler());
        }
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public ISecretsManagerClient Secrets => _provider.GetRequiredService<ISecretsManagerClient>();

    public ISesEmailClient Ses => _provider.GetRequiredService<ISesEmailClient>();

    public IServiceProvider Services => _provider;

    public void Dispose() => _provider.Dispose();
}
