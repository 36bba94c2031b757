using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SurgiCase.NotificationService.Delivery;
using SurgiCase.NotificationService.Storage;
using SurgiCase.NotificationService.Recipients;
using SurgiCase.Testing;

namespace SurgiCase.NotificationService.Tests;

/// <summary>
/// The NotificationService's delivery pipeline as production wires it (real SES client against moto, real
/// SQLite file), without the queue consumer, so a test hands events to the handler itself.
/// </summary>
internal sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly TempDirectory _dir;

    private DeliveryHarness(ServiceProvider provider, TempDirectory dir, FakeRecipientSource recipients)
    {
        _provider = provider;
        _dir = dir;
        Recipients = recipients;
    }

    public FakeRecipientSource Recipients { get; }

    public IServiceProvider Services => _provider;

    public IDeliveryLog Log => _provider.GetRequiredService<IDeliveryLog>();

    public DeliveryHealth Health => _provider.GetRequiredService<DeliveryHealth>();

    public static DeliveryHarness Create(
        MotoServer moto,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null,
        TempDirectory? sharedDirectory = null)
    {
        var dir = sharedDirectory ?? new TempDirectory();
        var values = new Dictionary<string, string?>
        {
            ["Aws:ServiceUrl"] = moto.Url.ToString(),
            ["Aws:Region"] = "us-east-1",
            ["Aws:AccessKeyId"] = "test",
            ["Aws:SecretAccessKey"] = "test",
            ["Notifications:DataDirectory"] = dir.Path,
            ["Notifications:FallbackRecipients"] = "oncall@surgicase.local",
            ["Notifications:SesRetryBaseDelay"] = "00:00:00.001",
            ["Notifications:ClaimPollInterval"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var recipients = new FakeRecipientSource();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        // Development: the fallback webhooks here are plain-http loopback listeners (https is required elsewhere).
        services.AddSingleton<IHostEnvironment>(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment
        {
            EnvironmentName = Environments.Development,
            ApplicationName = "SurgiCase.NotificationService.Tests",
            ContentRootPath = AppContext.BaseDirectory,
            ContentRootFileProvider = new Microsoft.Extensions.FileProviders.NullFileProvider(),
        });
        services.AddSingleton<IRecipientSource>(recipients);
        services.AddNotificationDelivery();
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new DeliveryHarness(provider, dir, recipients);
    }

    /// <summary>One delivery as the consumer makes it: a fresh DI scope and the handler.</summary>
    public async Task HandleAsync(SurgiCase.Messaging.Contracts.IJobEvent jobEvent, int receiveCount = 1, CancellationToken cancellationToken = default)
    {
        await using var scope = _provider.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService<JobEventNotificationHandler>();
        await handler.HandleAsync(jobEvent, new SurgiCase.Messaging.DeliveryContext($"msg-{receiveCount}", receiveCount, null), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _dir.Dispose();
    }
}
