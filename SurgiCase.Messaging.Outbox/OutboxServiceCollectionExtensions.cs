using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SurgiCase.Messaging.Outbox;

namespace Microsoft.Extensions.DependencyInjection;

public static class OutboxServiceCollectionExtensions
{
    /// <summary>
    /// Adds the outbox to the service's database (<c>AddSqlDatabase</c>) and its <see cref="OutboxDispatcher"/>, with
    /// options from <paramref name="configurationSection"/>. Needs an <c>IJobEventPublisher</c> (the transport).
    /// </summary>
    public static IServiceCollection AddJobEventOutbox(this IServiceCollection services, string configurationSection)
    {
        services.AddSqlSchema(OutboxSchema.Table);
        services.AddOptions<OutboxOptions>().BindConfiguration(configurationSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>>(new OutboxOptionsValidator(configurationSection)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IOutboxStore, SqlOutboxStore>();
        services.TryAddSingleton<OutboxMetrics>();
        services.TryAddSingleton<OutboxDispatcher>();
        services.AddHealthChecks().AddCheck<OutboxHealthCheck>(OutboxHealthCheck.Name);
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddRetentionStep<OutboxRetentionStep>();
        return services;
    }
}
